import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { waitFor } from '@lifeline/simulator';
import { tsxImport } from './tsx-loader.ts';

const require = createRequire(import.meta.url);

/** packages/server/src/main.ts, run by Node with tsx's loader (tsx-loader.ts). */
function serverCommand(): string[] {
  const main = join(dirname(require.resolve('@lifeline/server')), 'main.ts');
  return [...tsxImport(), main];
}

/**
 * The real server process (`main.ts` from environment variables), for what needs a process:
 * SIGKILL in the middle of a recovery, then a restart on the same port and Redis.
 */
export class ChildServer {
  /** Everything the process wrote (its JSON log lines), for failure messages. */
  readonly output: string[] = [];
  private child: ChildProcess | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    private readonly env: Record<string, string>,
    readonly url: string,
  ) {}

  get running(): boolean {
    return this.child !== null;
  }

  /**
   * Starts the process and resolves once /readyz answers. The bound is generous: tsx compiling
   * the server on a loaded machine (parallel random runs) takes tens of seconds.
   */
  async start(timeoutMs = 60_000): Promise<void> {
    if (this.child !== null) throw new Error('the server process is already running');
    const child = spawn(process.execPath, serverCommand(), {
      env: { PATH: process.env['PATH'] ?? '', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    const keep = (chunk: Buffer) => this.output.push(chunk.toString());
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    // 'close', not 'exit': it comes once stdout and stderr are drained, so a process that
    // failed to start has written why before start() reports it.
    this.exited = new Promise((resolve) =>
      child.once('close', () => {
        if (this.child === child) this.child = null;
        resolve();
      }),
    );
    const outcome = await waitFor(
      async () => {
        if (this.child !== child) return 'exited';
        const response = await fetch(`${this.url}/readyz`);
        return response.ok ? 'ready' : null;
      },
      { timeoutMs, intervalMs: 50, description: 'the server process to be ready' },
    );
    if (outcome === 'exited') throw new Error(`the server exited:\n${this.output.join('')}`);
  }

  /** Sends a signal and waits for the process to be gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (child === null) return;
    child.kill(signal);
    await this.exited;
  }

  /**
   * Ends the process for good. SIGKILL: a graceful stop would wait for the simulator's
   * keep-alive connections, and a test's teardown needs nothing the server still holds.
   */
  stop(): Promise<void> {
    return this.kill('SIGKILL');
  }
}
