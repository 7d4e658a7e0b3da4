import type { LifelineConfig, RecoveryView, RegisterOutcome } from 'plugin-lifeline/core';
import { isWrappingCall } from 'plugin-lifeline/core';
import { typicalMs } from '@lifeline/simulator';
import type { Simulator } from '@lifeline/simulator';
import type {
  IssuedToken,
  RealClock,
  ReservationRecord,
  ResolvedOptions,
  TaskRecord,
  TaskRouterEvent,
  Tokens,
  World,
} from '@lifeline/simulator/model';
import { conferenceInstruction, parseJsonObject } from '@lifeline/simulator/model';
import { beforeAcceptPayload } from './before-accept.ts';
import { flexSetsEndConferenceOnExit } from './flex-end-conference.ts';
import type { PluginPage } from './plugin-page.ts';
import { loadPluginPage, pluginConfig } from './plugin-page.ts';
import type { ServerApi } from './server-api.ts';
import type { AgentCall, AgentOptions } from './types.ts';
import { FlexTaskList } from './task-list.ts';
import { taskView } from './views.ts';

export interface AgentLogEntry {
  at: number;
  text: string;
}

/**
 * A Flex agent's browser running Lifeline's plugin. The simulated part is Flex and the person:
 * accepting reservations, the conference instruction, the Voice SDK leg, hanging up, transferring
 * and reloading the page. What the plugin decides and sends (conference callbacks on accept,
 * registration once both legs are in, the hang-up and cold-transfer calls, which reservations to
 * accept for the agent, the unload beacon, the recovery the modal shows) is the plugin's own code,
 * `plugin-lifeline/core`, run in a page that a refresh replaces.
 */
export class SimulatedAgent {
  readonly workerSid: string;
  readonly name: string;
  readonly identity: string;
  readonly log: AgentLogEntry[] = [];
  readonly calls: AgentCall[] = [];
  private issued: IssuedToken;
  private present = true;
  /** The plugin in the loaded page; null while the page is away or without a server URL. */
  private page: PluginPage | null = null;
  private comeback: { cancel(): void } | null = null;
  private readonly roles: string[];
  private readonly config: LifelineConfig | null;
  private readonly tasks: FlexTaskList;
  private readonly world: World;
  private readonly clock: RealClock;
  private readonly options: ResolvedOptions;
  private readonly tokens: Tokens;

  constructor(
    sim: Simulator,
    private readonly server: ServerApi,
    private readonly settings: AgentOptions,
    /** Told when one of the agent's calls is connected in a conference (Agents' routing). */
    private readonly inConference: (conferenceSid: string) => void = () => undefined,
  ) {
    const { world, tokens } = sim;
    this.world = world;
    this.clock = sim.clock;
    this.options = sim.options;
    this.tokens = tokens;
    const worker = world.taskrouter.workspace.workers.get(settings.workerSid);
    if (worker === undefined)
      throw new Error(`no worker ${settings.workerSid}: add it to sim.workspace first`);
    this.workerSid = worker.sid;
    this.name = settings.name ?? worker.friendlyName;
    const contact = parseJsonObject(worker.attributes)?.['contact_uri'];
    this.identity = typeof contact === 'string' ? contact.replace(/^client:/, '') : this.name;
    this.roles = settings.roles ?? ['agent'];
    this.tasks = new FlexTaskList(world, this.workerSid, this.calls);
    // Without a server URL the plugin has nothing to talk to and stays out (as it does in Flex).
    this.config = server.serverUrl === null ? null : pluginConfig(server.serverUrl);
    this.issued = tokens.issue(this.workerSid, this.identity, this.roles);
    this.pageLoaded();
    // The world's TaskRouter and conference events reach the agent through `Agents`, which
    // listens once for all of them: a listener per agent would make every event cost as many
    // calls (and timers) as there are agents.
  }

  /** The Flex token of the page now loaded (a refresh issues a new one). */
  get token(): string {
    return this.issued.token;
  }

  /** Whether the agent's page is loaded. */
  get isPresent(): boolean {
    return this.present;
  }

  /** What the plugin's recovery modal shows in the loaded page, if anything. */
  get recovery(): RecoveryView | null {
    return this.page?.recovery.view() ?? null;
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
      void this.afterAcceptTask(task.sid);
      return;
    }
    this.acceptVoice(reservation, task);
  }

  reject(reservationSid?: string): void {
    const reservation = this.pendingReservation(reservationSid);
    this.world.taskrouter.reservations.reject(reservation);
    this.note(`rejected reservation ${reservation.sid}`);
  }

  /** Hangs up through Flex: the plugin tells the server first, then the leg leaves. */
  async hangup(): Promise<void> {
    const call = this.requireCall();
    const view = this.tasks.read(call.taskSid);
    if (this.page !== null && view !== null) await this.page.agent.beforeHangupCall(view);
    this.note('hung up');
    this.dropLeg(call);
  }

  /**
   * Transfers the call (COLD: the agent then leaves; WARM: the agent stays until hanging up).
   * The plugin tells the server about a cold transfer only: a warm one keeps the agent in.
   */
  async transfer(mode: 'COLD' | 'WARM'): Promise<void> {
    const call = this.requireCall();
    const view = this.tasks.read(call.taskSid);
    if (this.page !== null && view !== null) await this.page.agent.beforeTransferTask(view, mode);
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
    const page = this.page;
    this.page = null;
    this.present = false;
    this.note('page unloaded');
    if (page !== null) {
      if (this.settings.beaconOnUnload !== false) {
        for (const beacon of page.agent.pagehide(this.tasks.held()))
          void this.server.beacon(beacon);
      }
      page.unload();
    }
    for (const call of this.calls) {
      const leg = this.world.calls.get(call.workerCallSid);
      if (leg !== undefined && this.world.calls.isLive(leg)) this.world.calls.hangup(leg, 'hangup');
    }
    const after = options.comebackAfterMs === undefined ? 1000 : options.comebackAfterMs;
    this.comeback = after === null ? null : this.clock.after(after, () => this.comeBack());
  }

  /**
   * The page is loaded again: a new token, and the plugin starts afresh: it asks the server
   * whether the agent is in a recovery and looks at the reservations already waiting.
   */
  comeBack(): void {
    this.comeback?.cancel();
    this.comeback = null;
    if (this.present) return;
    this.present = true;
    this.issued = this.tokens.issue(this.workerSid, this.identity, this.roles);
    this.note('page loaded');
    this.pageLoaded();
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

  /** Stops the plugin of the loaded page (the simulator is closing). */
  close(): void {
    this.comeback?.cancel();
    this.page?.unload();
    this.page = null;
  }

  /**
   * A page (re)loaded with the plugin: as on load in Flex, it asks the server whether the
   * agent is in a recovery when a call is wrapping (the reload cut it off) or nothing is held,
   * and looks at the reservations already waiting.
   */
  private pageLoaded(): void {
    this.page = this.loadPage();
    const held = this.tasks.held();
    if (held.length === 0 || held.some(isWrappingCall)) void this.page?.recovery.check();
    for (const task of held) {
      if (task.status === 'pending') this.consider(task.reservationSid);
    }
  }

  private loadPage(): PluginPage | null {
    if (this.config === null) return null;
    return loadPluginPage(this.config, {
      server: this.server,
      clock: this.clock,
      token: this.issued.token,
      worker: { workerSid: this.workerSid, workerName: this.name },
      readTask: (taskSid) => this.tasks.read(taskSid),
      // Flex hears of the leg by event; the poll stands in for that, so it stays short.
      legPollMs: Math.min(50, Math.max(5, typicalMs(this.options.timing.agentRingMs))),
      log: (message, error) =>
        this.note(error === undefined ? message : `${message}: ${describe(error)}`),
    });
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
    const reservation = this.tasks.pending(reservationSid);
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

  /** A TaskRouter event (Agents hands each agent those naming its worker). */
  onTaskRouter(event: TaskRouterEvent): void {
    if (event.eventType !== 'reservation.created' || event.worker?.sid !== this.workerSid) return;
    const reservationSid = event.reservation?.sid;
    if (reservationSid === undefined) return;
    // The plugin asks the server on each new reservation: a recovery's tasks arrive this way.
    void this.page?.recovery.check();
    this.consider(reservationSid);
  }

  /**
   * Accepts an offered reservation after the accept delay when the plugin accepts it for the
   * agent (its Recovery Ping or its reconnect task), or when the agent takes whatever comes.
   */
  private consider(reservationSid: string): void {
    if (!this.present) return;
    const reservation = this.world.taskrouter.reservations.get(reservationSid);
    if (reservation === undefined) return;
    const view = this.tasks.viewOf(reservation);
    const pluginAccepts =
      view !== null && this.page !== null && this.page.agent.reservationCreated(view) !== null;
    if (!pluginAccepts && this.settings.autoAccept === false) return;
    this.clock.after(
      this.world.draw('agent-accept', this.options.timing.agentAcceptDelayMs),
      () => {
        if (!this.present || reservation.status !== 'pending') return;
        this.accept(reservation.sid);
      },
    );
  }

  private acceptVoice(reservation: ReservationRecord, task: TaskRecord): void {
    const pending = taskView(this.world, { reservation });
    if (pending === null) throw new Error(`reservation ${reservation.sid} has no task`);
    const payload = beforeAcceptPayload(this.page?.agent ?? null, this.settings, pending);
    const call: AgentCall = {
      taskSid: task.sid,
      reservationSid: reservation.sid,
      workflowSid: task.workflowSid,
      taskAttributes: pending.attributes,
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
        this.inConference(connected.conferenceSid);
        this.note(`connected in conference ${connected.conferenceSid}`);
        this.enforceEndConferenceOnExit(connected.conferenceSid);
      },
    );
    call.workerCallSid = workerCallSid;
    this.calls.push(call);
    this.note(`accepted voice task ${task.sid}`);
    void this.afterAccept(call);
  }

  /**
   * Flex's afterAcceptTask, for every accepted task: the plugin reports a Recovery Ping, and
   * for a call waits for both legs, then registers with the server.
   */
  private async afterAcceptTask(taskSid: string): Promise<RegisterOutcome | null> {
    const page = this.page;
    const view = this.tasks.read(taskSid);
    if (page === null || view === null) return null;
    return page.agent.afterAcceptTask(view);
  }

  private async afterAccept(call: AgentCall): Promise<void> {
    const outcome = await this.afterAcceptTask(call.taskSid);
    // No page or no task to read (the plugin answers null only for a task that is no call).
    if (outcome === null) return;
    call.registered = outcome.kind === 'registered';
    this.note(
      call.registered ? 'registered with the server' : 'registration with the server failed',
    );
  }

  /**
   * Flex's endConferenceOnExit habit, on accept and after a participant joined or left a
   * conference of the agent's (Agents calls it then); only a loaded page has it.
   */
  enforceEndConferenceOnExit(conferenceSid: string): void {
    if (!this.present) return;
    const mine = this.calls.find((c) => c.conferenceSid === conferenceSid);
    if (mine !== undefined)
      flexSetsEndConferenceOnExit(this.world, conferenceSid, mine.workerCallSid);
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
