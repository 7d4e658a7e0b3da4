import type { Rng } from '@lifeline/simulator';
import { waitFor } from '@lifeline/simulator';
import type { SimulatedAgent } from '../agents/agent.ts';
import { quietObserver } from '../scenarios/observer.ts';
import type { ConnectedCall } from '../scenarios/steps.ts';
import { addAgent, customerCallsIn, steady } from '../scenarios/steps.ts';
import { leaveSeen, transferCall } from '../scenarios/transfer.ts';
import type { Stack } from '../stack/stack.ts';
import type { StoryName } from './plan.ts';

/** What a story needs from the run. */
export interface StoryContext {
  stack: Stack;
  /** The story's own stream of the run's seed: human delays, the moment of a hang-up. */
  rng: Rng;
  /** Human delays (page reloads, talking) are multiplied by this (1 = real time). */
  scale: number;
  /** Arms the run's faults: called once the call is steady, just before the disruption. */
  armFaults(): void;
  /** Called right after the disruption (the drop): the run's SIGKILL counts from here. */
  disrupted(): void;
  /**
   * Resolves once the server is up again after the run's SIGKILL (at once when there is none
   * or it is back): what asks the server something must not time out on its restart.
   */
  serverBack(): Promise<void>;
  /** A line for the run's log. */
  note(text: string): void;
}

/** A party that is neither the customer nor an agent (an external number, a supervisor). */
export interface OtherParty {
  callSid: string;
  label: string;
  muted: boolean;
}

/** What the story did: the facts the invariants are checked against. */
export interface StoryOutcome {
  customerCallSid: string;
  /** The conference the call started in. */
  conferenceSid: string;
  parties: OtherParty[];
  /** The story hung the customer up (so the call may end). */
  customerHungUp: boolean;
  /** An agent hung up through Flex (plain Flex ends the call then). */
  agentEndedCall: boolean;
  /** An agent's leg dropped with nobody else of the agents left on the call. */
  dropped: boolean;
  /** The agents whose pages the run waits for before it checks anything. */
  agents: SimulatedAgent[];
}

/** Page reload: 2-6 s (issue 9's figure), scaled. */
const reloadMs = (ctx: StoryContext) => Math.round(ctx.rng.between(2000, 6000) * ctx.scale);
/** How long the parties talk before something happens. */
const talkMs = (ctx: StoryContext) => Math.round(ctx.rng.between(0, 3000) * ctx.scale);
const sleep = (ctx: StoryContext, ms: number) => ctx.stack.sim.clock.sleep(ms);

interface Start {
  connected: ConnectedCall;
  outcome: StoryOutcome;
}

async function callIn(ctx: StoryContext, agent: SimulatedAgent): Promise<Start> {
  const connected = await customerCallsIn(ctx.stack, agent, quietObserver);
  return {
    connected,
    outcome: {
      customerCallSid: connected.customer.callSid,
      conferenceSid: connected.conferenceSid,
      parties: [],
      customerHungUp: false,
      agentEndedCall: false,
      dropped: false,
      agents: [agent],
    },
  };
}

/** The agent's page reloads (or crashes, without the beacon) and comes back after a reload's time. */
async function dropAndReturn(ctx: StoryContext, start: Start, agent: SimulatedAgent) {
  await sleep(ctx, talkMs(ctx));
  ctx.armFaults();
  const comeback = reloadMs(ctx);
  ctx.note(`${agent.name}'s page reloads, back in ${comeback} ms`);
  agent.refresh({ comebackAfterMs: comeback });
  start.outcome.dropped = true;
  ctx.disrupted();
}

/** A party added by the agent (participant create, labelled), in the call before the drop. */
async function addParty(
  ctx: StoryContext,
  start: Start,
  label: string,
  to: string,
  muted: boolean,
): Promise<void> {
  const { stack } = ctx;
  const participant = await stack.twilio
    .conferences(start.connected.conferenceSid)
    .participants.create({
      from: '+15550100000',
      to,
      label,
      muted,
      endConferenceOnExit: false,
    });
  start.outcome.parties.push({ callSid: participant.callSid, label, muted });
  await waitFor(
    () =>
      stack.sim.world.conferences
        .get(start.connected.conferenceSid)
        ?.participants.get(participant.callSid)?.status === 'connected',
    { timeoutMs: 30_000, description: `the ${label} in the call` },
  );
  await steady(stack, start.connected.conferenceSid);
}

type Story = (ctx: StoryContext) => Promise<StoryOutcome>;

export const stories: Record<StoryName, Story> = {
  async refresh(ctx) {
    const alice = addAgent(ctx.stack, 'Alice');
    const start = await callIn(ctx, alice);
    await dropAndReturn(ctx, start, alice);
    return start.outcome;
  },

  async 'crash-without-beacon'(ctx) {
    const alice = addAgent(ctx.stack, 'Alice', { beaconOnUnload: false });
    const start = await callIn(ctx, alice);
    await dropAndReturn(ctx, start, alice);
    return start.outcome;
  },

  async escalation(ctx) {
    const alice = addAgent(ctx.stack, 'Alice');
    const start = await callIn(ctx, alice);
    // Bob logs in once the call is Alice's, so the customer's first routing is hers.
    const bob = addAgent(ctx.stack, 'Bob');
    // Alice is gone for good: the run does not wait for her page.
    start.outcome.agents = [bob];
    await sleep(ctx, talkMs(ctx));
    ctx.armFaults();
    ctx.note("Alice's page reloads and never comes back");
    alice.refresh({ comebackAfterMs: null });
    start.outcome.dropped = true;
    ctx.disrupted();
    return start.outcome;
  },

  async 'customer-hangs-up'(ctx) {
    const alice = addAgent(ctx.stack, 'Alice');
    const start = await callIn(ctx, alice);
    if (ctx.rng.chance(0.7)) {
      await dropAndReturn(ctx, start, alice);
      // Any moment of the recovery: before the ping, while pinging, queued, re-dialing, after.
      await sleep(ctx, Math.round(ctx.rng.between(0, 9000) * ctx.scale));
    } else {
      await sleep(ctx, talkMs(ctx));
      ctx.armFaults();
    }
    ctx.note('the customer hangs up');
    start.connected.customer.hangup();
    start.outcome.customerHungUp = true;
    return start.outcome;
  },

  async 'three-party'(ctx) {
    const alice = addAgent(ctx.stack, 'Alice');
    const start = await callIn(ctx, alice);
    await addParty(ctx, start, 'external', '+15557654321', false);
    await dropAndReturn(ctx, start, alice);
    return start.outcome;
  },

  async 'muted-supervisor'(ctx) {
    const alice = addAgent(ctx.stack, 'Alice');
    const start = await callIn(ctx, alice);
    await addParty(ctx, start, 'supervisor', '+15557650000', true);
    await dropAndReturn(ctx, start, alice);
    return start.outcome;
  },

  async 'warm-transfer'(ctx) {
    const alice = addAgent(ctx.stack, 'Alice');
    const start = await callIn(ctx, alice);
    const bob = addAgent(ctx.stack, 'Bob');
    start.outcome.agents.push(bob);
    const withBob = await transferCall(ctx.stack, start.connected, bob, 'WARM', quietObserver);
    await sleep(ctx, talkMs(ctx));
    // Alice's refresh with Bob still there is no drop; Bob's, later, is.
    ctx.note("Alice's page reloads while Bob is on the call");
    alice.refresh({ comebackAfterMs: reloadMs(ctx) });
    await leaveSeen(ctx.stack, start.connected.conferenceSid, start.connected.call.workerCallSid);
    await dropAndReturn(ctx, { connected: withBob, outcome: start.outcome }, bob);
    return start.outcome;
  },

  async 'cold-transfer'(ctx) {
    const alice = addAgent(ctx.stack, 'Alice');
    const start = await callIn(ctx, alice);
    const bob = addAgent(ctx.stack, 'Bob');
    start.outcome.agents.push(bob);
    // Faults hit what the server does once Alice left, not Flex's own transfer requests.
    await transferCall(ctx.stack, start.connected, bob, 'COLD', quietObserver);
    ctx.armFaults();
    await leaveSeen(ctx.stack, start.connected.conferenceSid, start.connected.call.workerCallSid);
    return start.outcome;
  },

  async 'second-refresh'(ctx) {
    const alice = addAgent(ctx.stack, 'Alice');
    const start = await callIn(ctx, alice);
    await dropAndReturn(ctx, start, alice);
    // Once her page is back, at a random moment of the recovery, it reloads again.
    await waitFor(() => alice.isPresent, { timeoutMs: 30_000, description: 'Alice back' });
    await sleep(ctx, Math.round(ctx.rng.between(0, 4000) * ctx.scale));
    const comeback = reloadMs(ctx);
    ctx.note(`Alice's page reloads again, back in ${comeback} ms`);
    alice.refresh({ comebackAfterMs: comeback });
    return start.outcome;
  },

  async 'redial-second-refresh'(ctx) {
    const alice = addAgent(ctx.stack, 'Alice');
    const start = await callIn(ctx, alice);
    await addParty(ctx, start, 'external', '+15557654321', false);
    await dropAndReturn(ctx, start, alice);
    // The re-dial starts when the customer is in the new conference: Alice's page reloads
    // again right then, while the external party is being moved.
    const { conferences } = ctx.stack.sim.world;
    const next = await waitFor(
      () =>
        conferences
          .all()
          .find(
            (c) =>
              c.sid !== start.connected.conferenceSid &&
              c.participants.get(start.outcome.customerCallSid)?.status === 'connected',
          ) ?? null,
      { timeoutMs: 60_000, description: 'the customer in the new conference' },
    );
    // Once Flex's own accept settled (a reload within its endConferenceOnExit reset is a
    // different race, see the browser refresh test), still before the party is seen there.
    // A restarting server (tsx compiles it again: seconds on a loaded machine) cannot say.
    await ctx.serverBack();
    await steady(ctx.stack, next.sid);
    const comeback = reloadMs(ctx);
    ctx.note(`Alice's page reloads again during the re-dial, back in ${comeback} ms`);
    alice.refresh({ comebackAfterMs: comeback });
    return start.outcome;
  },

  async 'never-drops'(ctx) {
    const alice = addAgent(ctx.stack, 'Alice');
    const start = await callIn(ctx, alice);
    ctx.armFaults();
    await sleep(ctx, talkMs(ctx));
    if (ctx.rng.chance(0.5)) {
      ctx.note('Alice hangs up through Flex');
      await alice.hangup();
      start.outcome.agentEndedCall = true;
    } else {
      ctx.note('the customer hangs up');
      start.connected.customer.hangup();
      start.outcome.customerHungUp = true;
    }
    return start.outcome;
  },
};
