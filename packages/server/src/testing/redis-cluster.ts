/**
 * A throwaway 3-master Redis Cluster on loopback, for tests (the server's store tests and the
 * e2e scale-out test, through `@lifeline/server/testing`): redis-server processes in a
 * temporary directory, joined with `redis-cli --cluster create`. Fails loudly when
 * redis-server or redis-cli is missing: the cluster path must not go silently untested.
 */
import { spawn, execFile } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

const FIRST_PORT = 7101;
const BLOCKS = 100;

/**
 * Three consecutive free ports whose cluster-bus ports (port + 10000) are free too. The search
 * starts at a random block: test projects run side by side, and two clusters starting at once
 * must not both pick the first free block (a node that then fails to bind is retried).
 */
async function freePorts(): Promise<number[]> {
  const start = Math.floor(Math.random() * BLOCKS);
  for (let i = 0; i < BLOCKS; i += 1) {
    const base = FIRST_PORT + ((start + i) % BLOCKS) * 3;
    const ports = [base, base + 1, base + 2];
    const checks = await Promise.all(ports.flatMap((p) => [portFree(p), portFree(p + 10_000)]));
    if (checks.every(Boolean)) return ports;
  }
  throw new Error('No free loopback ports for a test Redis Cluster in 7101-7400.');
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  failed: () => Error | undefined,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const failure = failed();
    if (failure !== undefined) throw failure;
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Test Redis Cluster: timed out waiting for ${what}.`);
}

/** `-a` for a password-protected cluster; the warning about it on the command line is noise. */
const auth = (password: string | undefined) =>
  password === undefined ? [] : ['-a', password, '--no-auth-warning'];

async function cli(port: number, password: string | undefined, ...args: string[]) {
  const { stdout } = await run('redis-cli', [
    '-h',
    '127.0.0.1',
    '-p',
    String(port),
    ...auth(password),
    ...args,
  ]);
  return stdout;
}

export interface TestCluster {
  ports: number[];
  stop: () => Promise<void>;
}

/** `password`: every node requires it (requirepass), and the nodes use it among themselves. */
export async function startCluster(options: { password?: string } = {}): Promise<TestCluster> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await startOn(await freePorts(), options.password);
    } catch (error) {
      // Another cluster took a port between the check and the bind: try another block.
      if (!(error instanceof PortTaken) || attempt === 5) throw error;
    }
  }
}

class PortTaken extends Error {}

async function startOn(ports: number[], password: string | undefined): Promise<TestCluster> {
  const dir = await mkdtemp(join(tmpdir(), 'lifeline-cluster-'));
  const processes: ChildProcess[] = [];
  const failures: Error[] = [];
  let stopping = false;
  const stop = async () => {
    stopping = true;
    // Nothing to keep (no persistence), so kill outright, but wait for the ports to be freed.
    await Promise.all(
      processes
        .filter((child) => child.exitCode === null && child.pid !== undefined)
        .map((child) => {
          const exited = new Promise((resolve) => child.once('exit', resolve));
          child.kill('SIGKILL');
          return exited;
        }),
    );
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (const port of ports) {
      // Flags as one string list: `--save ""` must be an empty argument, not a missing one.
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          join(dir, `nodes-${port}.conf`),
          '--dir',
          dir,
          '--save',
          '',
          '--appendonly',
          'no',
          '--daemonize',
          'no',
          ...(password === undefined ? [] : ['--requirepass', password, '--masterauth', password]),
        ],
        { stdio: 'ignore' },
      );
      child.once('error', (error) => failures.push(error));
      // A node exits at once when its port is taken; the others would answer for it.
      child.once('exit', (code) => {
        if (!stopping) failures.push(new PortTaken(`redis-server on ${port} exited (${code})`));
      });
      processes.push(child);
    }
    const failed = () => failures[0];
    await waitFor(
      'redis-server to answer',
      async () => {
        const pongs = await Promise.all(ports.map((port) => cli(port, password, 'ping')));
        return pongs.every((pong) => pong.trim() === 'PONG');
      },
      failed,
    );
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
      ...auth(password),
    ]);
    await waitFor(
      'cluster_state:ok',
      async () => {
        const infos = await Promise.all(
          ports.map((port) => cli(port, password, 'cluster', 'info')),
        );
        return infos.every((info) => info.includes('cluster_state:ok'));
      },
      failed,
    );
    return { ports, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
