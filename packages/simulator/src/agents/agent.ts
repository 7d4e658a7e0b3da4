import type { RealClock } from '../clock.ts';
import { parseJsonObject } from '../json.ts';
import type { ResolvedOptions } from '../options.ts';
import type { IssuedToken, Tokens } from '../tokens.ts';
import type { TaskRouterEvent } from '../world/events.ts';
import type { ReservationRecord, TaskRecord } from '../world/records.ts';
import { conferenceInstruction } from '../world/taskrouter/conference-instruction.ts';
import type { World } from '../world/world.ts';
import { beforeAcceptPayload } from './before-accept.ts';
import { flexSetsEndConferenceOnExit } from './flex-end-conference.ts';
import { isReconnectFor, isRecoveryPingFor } from './policy.ts';
import type { AgentCall, AgentOptions } from './types.ts';
import type { ServerApi } from './server-api.ts';
import { serverPaths } from './server-api.ts';

export interface AgentLogEntry {
  at: number;
  text: string;
}

/**
 * A stand-in for a Flex agent's browser running Lifeline's plugin: it accepts reservations,
 * runs beforeAcceptTask (pointing the conference callbacks at Lifeline's server), accepts with
 * Flex's conference instruction, registers with the server, and can hang up, transfer, or
 * refresh the page (dropping its call leg) and come back.
 */
export class SimulatedAgent {
  readonly workerSid: string;
  readonly name: string;
  readonly identity: string;
  readonly log: AgentLogEntry[] = [];
  readonly calls: AgentCall[] = [];
  private issued: IssuedToken;
  private present = true;
  private comeback: { cancel(): void } | null = null;
  private readonly roles: string[];

  constructor(
    private readonly world: World,
    private readonly clock: RealClock,
    private readonly options: ResolvedOptions,
    private readonly tokens: Tokens,
    private readonly server: ServerApi,
    private readonly settings: AgentOptions,
  ) {
    const worker = world.taskrouter.workspace.workers.get(settings.workerSid);
    if (worker === undefined)
      throw new Error(`no worker ${settings.workerSid}: add it to sim.workspace first`);
    this.workerSid = worker.sid;
    this.name = settings.name ?? worker.friendlyName;
    const contact = parseJsonObject(worker.attributes)?.['contact_uri'];
    this.identity = typeof contact === 'string' ? contact.replace(/^client:/, '') : this.name;
    this.roles = settings.roles ?? ['agent'];
    this.issued = tokens.issue(this.workerSid, this.identity, this.roles);
    world.events.on('taskrouter', (event) => this.onTaskRouter(event));
    world.events.on('conference', (event) => {
      if (event.name === 'participant-join' || event.name === 'participant-leave') {
        this.clock.after(0, () => this.enforceEndConferenceOnExit(event.conferenceSid));
      }
    });
  }

  /** The Flex token of the page now loaded (a refresh issues a new one). */
  get token(): string {
    return this.issued.token;
  }

  /** Whether the agent's page is loaded. */
  get isPresent(): boolean {
    return this.present;
  }

  /** The voice call the agent is on now, if any. */
  get currentCall(): AgentCall | null {
    return (
      [...this.calls].reverse().find((c) => {
        const leg = this.world.calls.get(c.workerCallSid);
        return leg !== undefined && this.world.calls.isLive(leg);
      }) ?? null
    );
  }

  /** Accepts a pending reservation (the first pending one when none is named). */
  accept(reservationSid?: string): void {
    const reservation = this.pendingReservation(reservationSid);
    const task = this.world.taskrouter.tasks.get(reservation.taskSid);
    if (task === undefined) throw new Error(`reservation ${reservation.sid} has no task`);
    const channel =
      this.world.taskrouter.workspace.channel(task.taskChannelSid)?.uniqueName ?? 'default';
    if (channel !== 'voice') {
      this.world.taskrouter.reservations.accept(reservation);
      this.note(`accepted ${channel} task ${task.sid}`);
      return;
    }
    this.acceptVoice(reservation, task);
  }

  reject(reservationSid?: string): void {
    const reservation = this.pendingReservation(reservationSid);
    this.world.taskrouter.reservations.reject(reservation);
    this.note(`rejected reservation ${reservation.sid}`);
  }

  /** Hangs up through Flex: tells the server first, then leaves the conference. */
  async hangup(): Promise<void> {
    const call = this.requireCall();
    const conference =
      call.conferenceSid === null ? undefined : this.world.conferences.get(call.conferenceSid);
    const liveParticipantCount =
      conference === undefined ? 0 : this.world.conferences.connected(conference).length;
    if (call.conferenceSid !== null) {
      await this.server.post(serverPaths.hangup(call.conferenceSid, this.workerSid), this.token, {
        liveParticipantCount,
      });
    }
    this.note('hung up');
    this.dropLeg(call);
  }

  /** Transfers the call (COLD: the agent then leaves; WARM: the agent stays until hanging up). */
  async transfer(mode: 'COLD' | 'WARM'): Promise<void> {
    const call = this.requireCall();
    if (call.conferenceSid !== null) {
      await this.server.post(serverPaths.transfer(call.conferenceSid, this.workerSid), this.token, {
        mode,
      });
    }
    this.note(`${mode} transfer`);
    if (mode === 'COLD') this.dropLeg(call);
  }

  /**
   * The page reloads: the plugin's pagehide beacon goes out, the Voice SDK's call leg dies
   * with the page (participant_hung_up), Flex wraps the task, and the page comes back after
   * `comebackAfterMs` (never, with null). The old token stays valid until it expires, as a
   * Flex token does.
   */
  refresh(options: { comebackAfterMs?: number | null } = {}): void {
    this.comeback?.cancel();
    this.present = false;
    this.note('page unloaded');
    const call = this.currentCall;
    if (call?.conferenceSid != null && this.settings.beaconOnUnload !== false) {
      void this.server.beacon(serverPaths.unload(call.conferenceSid, this.workerSid), this.token);
    }
    for (const call of this.calls) {
      const leg = this.world.calls.get(call.workerCallSid);
      if (leg !== undefined && this.world.calls.isLive(leg)) this.world.calls.hangup(leg, 'hangup');
    }
    const after = options.comebackAfterMs === undefined ? 1000 : options.comebackAfterMs;
    this.comeback = after === null ? null : this.clock.after(after, () => this.comeBack());
  }

  /** The page is loaded again: a new token, and pending reservations are looked at afresh. */
  comeBack(): void {
    this.comeback?.cancel();
    this.comeback = null;
    if (this.present) return;
    this.present = true;
    this.issued = this.tokens.issue(this.workerSid, this.identity, this.roles);
    this.note('page loaded');
    for (const reservation of this.world.taskrouter.reservations.forWorker(this.workerSid)) {
      if (reservation.status === 'pending') this.consider(reservation.sid);
    }
  }

  /** Flex's Complete button for a wrapping (or assigned) task. */
  completeTask(taskSid?: string): void {
    const task =
      taskSid === undefined
        ? this.world.taskrouter.tasks
            .all()
            .find(
              (t) =>
                t.assignmentStatus === 'wrapping' && this.calls.some((c) => c.taskSid === t.sid),
            )
        : this.world.taskrouter.tasks.get(taskSid);
    if (task === undefined) throw new Error('no task to complete');
    this.world.taskrouter.tasks.complete(task, 'Task completed by agent');
    this.note(`completed task ${task.sid}`);
  }

  /** Holds or unholds the customer, as the Flex hold button does (through the REST API). */
  holdCustomer(hold: boolean): void {
    const call = this.requireCall();
    if (call.conferenceSid === null || call.customerCallSid === null)
      throw new Error('no customer to hold');
    const conference = this.world.conferences.get(call.conferenceSid);
    if (conference !== undefined)
      this.world.conferences.updateParticipant(conference, call.customerCallSid, { hold });
  }

  private note(text: string): void {
    this.log.push({ at: this.clock.now(), text });
  }

  private requireCall(): AgentCall {
    const call = this.currentCall;
    if (call === null) throw new Error(`${this.name} is not on a call`);
    return call;
  }

  private pendingReservation(reservationSid?: string): ReservationRecord {
    const pending = this.world.taskrouter.reservations
      .forWorker(this.workerSid)
      .filter(
        (r) => r.status === 'pending' && (reservationSid === undefined || r.sid === reservationSid),
      );
    const reservation = pending[0];
    if (reservation === undefined)
      throw new Error(`${this.name} has no pending reservation ${reservationSid ?? ''}`);
    return reservation;
  }

  private dropLeg(call: AgentCall): void {
    const leg = this.world.calls.get(call.workerCallSid);
    if (leg !== undefined) this.world.calls.hangup(leg, 'hangup');
    const wrapUpMs = this.settings.wrapUpMs ?? null;
    if (wrapUpMs !== null) {
      this.clock.after(wrapUpMs, () => {
        const task = this.world.taskrouter.tasks.get(call.taskSid);
        if (task?.assignmentStatus === 'wrapping' && this.present) this.completeTask(task.sid);
      });
    }
  }

  private onTaskRouter(event: TaskRouterEvent): void {
    if (event.eventType !== 'reservation.created' || event.worker?.sid !== this.workerSid) return;
    const reservationSid = event.reservation?.sid;
    if (reservationSid !== undefined) this.consider(reservationSid);
  }

  /** Decides whether to accept an offered reservation, and does so after the accept delay. */
  private consider(reservationSid: string): void {
    if (!this.present) return;
    const reservation = this.world.taskrouter.reservations.get(reservationSid);
    const task =
      reservation === undefined ? undefined : this.world.taskrouter.tasks.get(reservation.taskSid);
    if (reservation === undefined || task === undefined) return;
    const attributes = parseJsonObject(task.attributes) ?? {};
    const mine =
      isRecoveryPingFor(attributes, this.workerSid) || isReconnectFor(attributes, this.workerSid);
    if (!mine && this.settings.autoAccept === false) return;
    this.clock.after(this.options.timing.agentAcceptDelayMs, () => {
      if (!this.present || reservation.status !== 'pending') return;
      this.accept(reservation.sid);
    });
  }

  private acceptVoice(reservation: ReservationRecord, task: TaskRecord): void {
    const attributes = parseJsonObject(task.attributes) ?? {};
    const payload = beforeAcceptPayload(
      this.options,
      this.settings,
      reservation.sid,
      task,
      attributes,
    );
    const call: AgentCall = {
      taskSid: task.sid,
      reservationSid: reservation.sid,
      workflowSid: task.workflowSid,
      taskAttributes: attributes,
      workerCallSid: '',
      conferenceSid: null,
      customerCallSid: null,
      registered: false,
    };
    const { workerCallSid } = conferenceInstruction(
      this.world,
      reservation,
      payload.conferenceOptions,
      (connected) => {
        call.conferenceSid = connected.conferenceSid;
        call.customerCallSid = connected.customerCallSid;
        this.note(`connected in conference ${connected.conferenceSid}`);
        this.enforceEndConferenceOnExit(connected.conferenceSid);
        void this.register(call);
      },
    );
    call.workerCallSid = workerCallSid;
    this.calls.push(call);
    this.note(`accepted voice task ${task.sid}`);
  }

  private async register(call: AgentCall): Promise<void> {
    if (call.conferenceSid === null) return;
    const result = await this.server.post(serverPaths.register(call.conferenceSid), this.token, {
      taskSid: call.taskSid,
      workflowSid: call.workflowSid,
      taskAttributes: call.taskAttributes,
      customerCallSid: call.customerCallSid ?? '',
      workerSid: this.workerSid,
      reservationSid: call.reservationSid,
      workerCallSid: call.workerCallSid,
      workerName: this.name,
    });
    call.registered = result !== null && result.status !== null && result.status < 300;
    this.note(
      call.registered ? 'registered with the server' : 'registration with the server failed',
    );
  }

  /** Flex's endConferenceOnExit habit; only a loaded page has it. */
  private enforceEndConferenceOnExit(conferenceSid: string): void {
    if (!this.present) return;
    const mine = this.calls.find((c) => c.conferenceSid === conferenceSid);
    if (mine !== undefined)
      flexSetsEndConferenceOnExit(this.world, conferenceSid, mine.workerCallSid);
  }
}
