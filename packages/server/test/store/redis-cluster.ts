/**
 * A throwaway 3-master Redis Cluster on loopback, for tests: redis-server processes in a
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

/** Three consecutive free ports whose cluster-bus ports (port + 10000) are free too. */
async function freePorts(): Promise<number[]> {
  for (let base = 7101; base < 7400; base += 3) {
    const ports = [base, base + 1, base + 2];
    const checks = await Promise.all(ports.flatMap((p) => [portFree(p), portFree(p + 10_000)]));
    if (checks.every(Boolean)) return ports;
  }
  throw new Error('No free loopback ports for a test Redis Cluster in 7101-7399.');
}

async function waitFor(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
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
  const { password } = options;
  const ports = await freePorts();
  const dir = await mkdtemp(join(tmpdir(), 'lifeline-cluster-'));
  const processes: ChildProcess[] = [];
  const failures: Error[] = [];
  const stop = async () => {
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
      processes.push(child);
    }
    await waitFor('redis-server to answer', async () => {
      if (failures.length > 0) throw failures[0];
      const pongs = await Promise.all(ports.map((port) => cli(port, password, 'ping')));
      return pongs.every((pong) => pong.trim() === 'PONG');
    }).catch((error: unknown) => {
      throw failures[0] ?? error;
    });
    await run('redis-cli', [
      '--cluster',
      'create',
      ...ports.map((port) => `127.0.0.1:${port}`),
      '--cluster-replicas',
      '0',
      '--cluster-yes',
      ...auth(password),
    ]);
    await waitFor('cluster_state:ok', async () => {
      const infos = await Promise.all(ports.map((port) => cli(port, password, 'cluster', 'info')));
      return infos.every((info) => info.includes('cluster_state:ok'));
    });
    return { ports, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
