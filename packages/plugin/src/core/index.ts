/**
 * The Flex-independent half of the plugin: what an agent's browser does for Lifeline.
 * Nothing here imports Flex, React or DOM-only APIs, so the simulator's agents run it too.
 */
export * from './agent.ts';
export * from './api.ts';
export * from './conference.ts';
export * from './config.ts';
export * from './mirror.ts';
export * from './recovery.ts';
export * from './reservations.ts';
export * from './stream.ts';
export * from './sync.ts';
export * from './tasks.ts';
