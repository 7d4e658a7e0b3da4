export { createSimulator, Simulator } from './simulator.ts';
export type { SimulatorOptions, Timing } from './options.ts';
export { defaultTiming, fastTiming, realisticTiming, scaleTiming, typicalMs } from './options.ts';
export type { Duration, Spread } from './random.ts';
export { Random, Rng } from './random.ts';
export type { CustomerCall, InboundCall } from './customers.ts';
export type { RestConcurrencyLimit, RestFaultMatch, WebhookKind, WebhookScope } from './faults.ts';
export { Faults } from './faults.ts';
export type { CallTimeline, Hearing, HearingSegment, TimelineEntry } from './timeline.ts';
export type { DeliveryAttempt } from './webhooks/log.ts';
export type { RequestRecord } from './http/request-log.ts';
export type { NumberBehaviour } from './world/dial-out.ts';
export type {
  StandardSetup,
  NewWorker,
  NewTaskQueue,
  NewWorkflow,
} from './world/taskrouter/workspace.ts';
export { SimulatorRequestClient, simulatorTwilioClient } from './twilio-client.ts';
export { signedSinkUrl } from './webhooks/event-streams.ts';
export { waitFor } from './wait.ts';
export type { WaitOptions } from './wait.ts';
export { specOperations, specResources } from './spec/operations.generated.ts';
export type { SpecOperation, SpecResource } from './spec/types.ts';
