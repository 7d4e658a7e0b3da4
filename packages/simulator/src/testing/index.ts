/** Test helpers for applications tested against the simulator. */
export type { Received } from './receiver.ts';
export { Receiver } from './receiver.ts';
export type { Testbed } from './testbed.ts';
export { standardWorkspace, startTestbed, testAccount } from './testbed.ts';
