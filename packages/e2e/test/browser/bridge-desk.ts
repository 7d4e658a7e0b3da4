import type { DeskParticipant, DeskState, DeskTask } from './bridge-protocol.ts';
import type { RestParticipant, TwilioRest } from './twilio-rest.ts';

const HELD = ['pending', 'accepted', 'wrapping'];

/**
 * The worker's task list as Flex holds it, read from the simulator's REST API: the
 * reservations the worker holds, each task's attributes, and for calls the conference named
 * after the task with its participants.
 */
export class Desk {
  /** Holds new offers back from the page (its TaskRouter connection is still coming up). */
  holdOffers = false;
  /** Participants Flex has seen per conference: those gone from it stay listed as left. */
  private readonly seen = new Map<string, Map<string, DeskParticipant>>();
  /** Worker legs Flex already set endConferenceOnExit on (it does so once per leg here). */
  private readonly flexEnded = new Set<string>();
  /** Worker legs whose endConferenceOnExit update from Flex has been answered. */
  private readonly flexEndApplied = new Set<string>();

  /** Whether Flex's habit has run on this worker leg (a drop before it would race it). */
  flexHabitApplied(callSid: string): boolean {
    return this.flexEndApplied.has(callSid);
  }

  constructor(private readonly rest: TwilioRest) {}

  async state(workerSid: string): Promise<DeskState> {
    const reservations = (await this.rest.workerReservations(workerSid)).filter(
      (r) =>
        HELD.includes(r.reservation_status) &&
        !(this.holdOffers && r.reservation_status === 'pending'),
    );
    const tasks: DeskTask[] = [];
    for (const reservation of reservations) {
      const task = await this.rest.task(reservation.task_sid);
      const channel = task.task_channel_unique_name ?? 'default';
      tasks.push({
        taskSid: task.sid,
        reservationSid: reservation.sid,
        status: reservation.reservation_status,
        channel,
        workflowSid: task.workflow_sid,
        attributes: JSON.parse(task.attributes) as Record<string, unknown>,
        conference: channel === 'voice' ? await this.conferenceOf(task.sid, workerSid) : null,
      });
    }
    return { tasks };
  }

  private async conferenceOf(taskSid: string, workerSid: string) {
    const conferences = await this.rest.conferencesNamed(taskSid);
    const conference = conferences.find((c) => c.status !== 'completed') ?? conferences[0];
    if (conference === undefined) return null;
    const now = await this.rest.participants(conference.sid);
    await this.flexEndsConferenceOnExit(conference.sid, now);
    const known = this.seen.get(conference.sid) ?? new Map<string, DeskParticipant>();
    this.seen.set(conference.sid, known);
    for (const p of known.values()) p.status = 'left';
    for (const p of now) {
      const type =
        p.label === 'customer' ? 'customer' : p.label === 'worker' ? 'worker' : 'external';
      known.set(p.call_sid, {
        participantType: type,
        callSid: p.call_sid,
        ...(type === 'worker' ? { workerSid } : {}),
        status: p.status === 'connected' ? 'joined' : 'left',
      });
    }
    return { conferenceSid: conference.sid, participants: [...known.values()] };
  }

  /**
   * Flex sets endConferenceOnExit=true on the worker's leg of a call with two or fewer live
   * participants, through the REST API. Lifeline's server must undo it for a drop to be
   * recoverable, so the test keeps the habit. The page learns of the legs from the same answer,
   * so this always happens before the plugin can register.
   */
  private async flexEndsConferenceOnExit(conferenceSid: string, participants: RestParticipant[]) {
    const live = participants.filter((p) => p.status === 'connected');
    if (live.length > 2) return;
    for (const p of live) {
      if (p.label !== 'worker' || p.end_conference_on_exit || this.flexEnded.has(p.call_sid))
        continue;
      this.flexEnded.add(p.call_sid);
      await this.rest.updateParticipant(conferenceSid, p.call_sid, { EndConferenceOnExit: 'true' });
      this.flexEndApplied.add(p.call_sid);
    }
  }
}
