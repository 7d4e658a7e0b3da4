/** Test helpers for applications tested against the simulator. */
export type { Received } from './receiver.ts';
export { Receiver } from './receiver.ts';
