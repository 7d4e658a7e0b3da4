import type { Violation } from './invariants.ts';
import type { StoryName } from './plan.ts';

/**
 * KNOWN FAILURES UNTIL THE i9-machine BRANCH IS MERGED. Each entry is an invariant that fails
 * on this branch only because a behaviour of issue 9 (1-8) lives on the other branch. A run
 * whose every violation matches an entry counts as 'known', not 'pass': the runner prints them
 * and the test asserts nothing else failed. The lead deletes this list after the merge; an
 * entry that still matches then is a real failure.
 */
export const knownFailuresUntilI9Machine: {
  /** The story it applies to; undefined: every story. */
  story?: StoryName;
  invariant: Violation['invariant'];
  /** A substring of the violation's detail, when only some violations of the invariant are meant. */
  detailIncludes?: string;
  reason: string;
}[] = [
  {
    invariant: 'nobody-alone',
    detailIncludes: 'after the customer left',
    reason:
      'i9 behaviour 1 (native parity): a customer hang-up on a connected call leaves the agent in the conference',
  },
  {
    invariant: 'native-parity',
    detailIncludes: 'the customer hung up and conference',
    reason:
      'i9 behaviour 1 (native parity): a customer hang-up on a connected call does not end the conference',
  },
  {
    invariant: 'lifeline-tasks-closed',
    detailIncludes: 'is assigned after the call ended',
    reason:
      'i9 behaviour 1: the agent stays in the conference after the customer hung up, so the reconnect or escalation task stays assigned',
  },
  {
    story: 'muted-supervisor',
    invariant: 'parties-back',
    detailIncludes: 'was muted and is audible',
    reason:
      "i9 behaviour 6 (re-dials keep each party's mute and hold): the re-dial does not carry the muted state",
  },
];

export function knownFailure(story: StoryName, violation: Violation): string | null {
  const entry = knownFailuresUntilI9Machine.find(
    (k) =>
      (k.story === undefined || k.story === story) &&
      k.invariant === violation.invariant &&
      (k.detailIncludes === undefined || violation.detail.includes(k.detailIncludes)),
  );
  return entry?.reason ?? null;
}
