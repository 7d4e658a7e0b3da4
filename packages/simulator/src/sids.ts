import { randomBytes } from 'node:crypto';

/** Twilio SID prefixes the simulator mints. */
export const sidPrefixes = {
  account: 'AC',
  call: 'CA',
  conference: 'CF',
  queue: 'QU',
  workspace: 'WS',
  worker: 'WK',
  activity: 'WA',
  taskQueue: 'WQ',
  workflow: 'WW',
  task: 'WT',
  reservation: 'WR',
  taskChannel: 'TC',
  event: 'EV',
  user: 'US',
} as const;

export type SidPrefix = (typeof sidPrefixes)[keyof typeof sidPrefixes];

/** A fresh SID: the two-letter prefix and 32 lowercase hex digits, as Twilio mints them. */
export function newSid(prefix: SidPrefix): string {
  return prefix + randomBytes(16).toString('hex');
}

export function isSid(value: unknown, prefix: string): value is string {
  return typeof value === 'string' && new RegExp(`^${prefix}[0-9a-fA-F]{32}$`).test(value);
}
