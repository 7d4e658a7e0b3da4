/**
 * The simulated account's model, for clients that run in the same process as the simulator
 * and act as a Twilio SDK would from inside it (a Flex desktop's TaskRouter and Voice SDK
 * connections, for example): the world (calls, conferences, TaskRouter), its clock, the Flex
 * tokens it vouches for, and the conference instruction a reservation accept performs.
 * Everything else goes through REST, like any other Twilio client.
 */
export type { Clock, RealClock, Timer } from './clock.ts';
export type { JsonObject, JsonPrimitive, JsonValue } from './json.ts';
export { isJsonObject, parseJsonObject } from './json.ts';
export type { ResolvedOptions } from './options.ts';
export { isLoopbackHost } from './options.ts';
export type { IssuedToken, Tokens } from './tokens.ts';
export { eventWords } from './twiml.ts';
export type { HttpAttempt, HttpRequest } from './webhooks/http-post.ts';
export { sendHttp } from './webhooks/http-post.ts';
export type { ConferenceEvent, TaskRouterEvent } from './world/events.ts';
export type {
  CallRecord,
  ConferenceRecord,
  ParticipantRecord,
  ReservationRecord,
  TaskRecord,
} from './world/records.ts';
export type {
  ConferenceConnected,
  ConferenceInstruction,
} from './world/taskrouter/conference-instruction.ts';
export { conferenceInstruction } from './world/taskrouter/conference-instruction.ts';
export type { World } from './world/world.ts';
