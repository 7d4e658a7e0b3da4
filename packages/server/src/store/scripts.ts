/**
 * The store's Lua scripts (lua/*.lua), defined on the client with ioredis `defineCommand`:
 * ioredis then sends EVALSHA and falls back to EVAL after a NOSCRIPT (a restarted or new
 * cluster node), and routes each call by its KEYS in a cluster.
 */
import { readFileSync } from 'node:fs';
import type { Cluster, Redis } from 'ioredis';

export type RedisClient = Redis | Cluster;

interface ScriptDefinition {
  file: string;
  /** Fixed, because ioredis-mock cannot take the key count per call. */
  keys: number;
}

const definitions = {
  commit: { file: 'commit.lua', keys: 10 },
  claimEffects: { file: 'claim-effects.lua', keys: 3 },
  completeEffect: { file: 'complete-effect.lua', keys: 6 },
  compactTimeline: { file: 'compact-timeline.lua', keys: 2 },
  retryEffect: { file: 'retry-effect.lua', keys: 5 },
  appendTimeline: { file: 'append-timeline.lua', keys: 2 },
  dueTimers: { file: 'due-timers.lua', keys: 2 },
  expireIndex: { file: 'expire-index.lua', keys: 2 },
  pointIndex: { file: 'point-index.lua', keys: 2 },
  dropTimer: { file: 'drop-timer.lua', keys: 3 },
  renewLease: { file: 'renew-lease.lua', keys: 1 },
  startEffect: { file: 'start-effect.lua', keys: 3 },
} as const satisfies Record<string, ScriptDefinition>;

type ScriptName = keyof typeof definitions;

/** Command names carry a prefix so they cannot shadow a Redis command on the shared client. */
function commandName(name: ScriptName): string {
  return `lifeline_${name}`;
}

const sources = new Map<ScriptName, string>();

const readLua = (path: string) => readFileSync(new URL(`./lua/${path}`, import.meta.url), 'utf8');

/**
 * A script's source with each `-- @include <name>` line replaced by lua/includes/<name>.lua:
 * Redis runs each script alone, so a helper several scripts need is written once and pasted.
 */
function source(name: ScriptName): string {
  let lua = sources.get(name);
  if (lua === undefined) {
    lua = readLua(definitions[name].file).replace(
      /^-- @include ([\w-]+)$/gm,
      (_, include: string) => readLua(`includes/${include}.lua`).trimEnd(),
    );
    sources.set(name, lua);
  }
  return lua;
}

const defined = new WeakSet<RedisClient>();

export function defineScripts(client: RedisClient): void {
  if (defined.has(client)) return;
  for (const name of Object.keys(definitions) as ScriptName[]) {
    client.defineCommand(commandName(name), {
      lua: source(name),
      numberOfKeys: definitions[name].keys,
    });
  }
  defined.add(client);
}

type ScriptFunction = (...args: (string | Buffer)[]) => Promise<unknown>;

/** Runs a script defined by defineScripts; the key count must match its definition. */
export function runScript(
  client: RedisClient,
  name: ScriptName,
  keys: readonly string[],
  args: readonly (string | Buffer)[],
): Promise<unknown> {
  if (keys.length !== definitions[name].keys) {
    throw new Error(`Script ${name} takes ${definitions[name].keys} keys, got ${keys.length}.`);
  }
  // defineCommand adds the method at runtime; ioredis' types cannot know it.
  const fn = (client as unknown as Record<string, ScriptFunction | undefined>)[commandName(name)];
  if (fn === undefined) throw new Error(`Script ${name} is not defined on this client.`);
  return fn.apply(client, [...keys, ...args]);
}
