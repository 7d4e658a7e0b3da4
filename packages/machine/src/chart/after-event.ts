/** The delay name of XState's `after` event type: xstate.after.<delay>.<state id>. */
export function delayOfAfterEvent(eventType: string): string {
  const match = /^xstate\.after\.([^.]+)\./.exec(eventType);
  return match?.[1] ?? eventType;
}
