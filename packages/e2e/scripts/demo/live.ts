import type { ScenarioObserver } from '../../src/scenarios/observer.ts';
import type { Stack } from '../../src/stack/stack.ts';
import { callLine, clock, serverLine } from './format.ts';
import type { Style } from './style.ts';
import type { Terminal } from './terminal.ts';

interface Followed {
  seen: number;
}

interface Line {
  at: number;
  text: string;
}

const pollMs = 50;
/**
 * Lines wait this long before printing, so that what the server and the simulator report a
 * little late still prints in time order with the scenario's own steps.
 */
const holdMs = 200;

/**
 * The demo's live timeline: prints the scenario's steps as they are taken, and polls the
 * server's admin view (state changes, effects with their latency) and the simulator's call
 * timelines (what the customer hears), printing new entries in time order.
 */
export class LiveFeed implements ScenarioObserver {
  private readonly conferences = new Map<string, Followed & { state: string | null }>();
  private readonly calls = new Map<string, Followed & { label: string }>();
  private timer: ReturnType<typeof setInterval> | null = null;
  private polling: Promise<void> = Promise.resolve();
  private lastState = 'no call yet';
  private pending: Line[] = [];

  constructor(
    private readonly stack: Stack,
    private readonly out: Terminal,
    private readonly style: Style,
    private readonly t0: number,
  ) {}

  start(): void {
    this.timer = setInterval(() => {
      this.polling = this.polling.then(() => this.poll()).catch(() => undefined);
    }, pollMs);
  }

  /** Stops polling after printing what is left. */
  async stop(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    await this.polling;
    await this.poll(true).catch(() => undefined);
    this.out.clearProgress();
  }

  step(text: string): void {
    this.pending.push({ at: Date.now(), text: this.style.step(`▸ ${text}`) });
  }

  followConference(conferenceSid: string): void {
    if (!this.conferences.has(conferenceSid))
      this.conferences.set(conferenceSid, { seen: 0, state: null });
  }

  followCall(callSid: string, label: string): void {
    if (!this.calls.has(callSid)) this.calls.set(callSid, { seen: 0, label });
  }

  private async poll(flush = false): Promise<void> {
    const lines = this.pending;
    for (const [conferenceSid, followed] of this.conferences) {
      const view = await this.stack.api.conference(conferenceSid).catch(() => null);
      if (view === null) continue;
      for (const entry of view.timeline.slice(followed.seen)) {
        const text = serverLine(entry, followed.state, this.style);
        if (entry.kind === 'event' && entry.state !== undefined) followed.state = entry.state;
        if (text !== null)
          lines.push({ at: entry.at, text: `${this.style.bold('server  ')} ${text}` });
      }
      followed.seen = view.timeline.length;
      this.lastState = view.state;
    }
    for (const [callSid, followed] of this.calls) {
      const entries = this.stack.sim.timeline(callSid).entries;
      for (const entry of entries.slice(followed.seen)) {
        // "heard X" notes repeat what the hearing lines ("hears X") already say.
        if (entry.text.startsWith('heard ')) continue;
        lines.push({
          at: entry.at,
          text: callLine(followed.label.padEnd(8), entry.text, this.style),
        });
      }
      followed.seen = entries.length;
    }
    // Stable sort: lines of one instant keep the order they were reported in.
    lines.sort((a, b) => a.at - b.at);
    const until = flush ? Number.POSITIVE_INFINITY : Date.now() - holdMs;
    const ready = lines.filter((line) => line.at <= until);
    this.pending = lines.filter((line) => line.at > until);
    for (const line of ready) {
      this.out.line(`${this.style.dim(clock(line.at, this.t0))}  ${line.text}`);
    }
    const elapsed = ((Date.now() - this.t0) / 1000).toFixed(1);
    this.out.progress(`${elapsed}s · recovery: ${this.lastState}`);
  }
}
