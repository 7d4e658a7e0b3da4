import type { ChildProcess } from 'node:child_process';
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Proxy, Spread } from './instance-proxy.ts';
import type { ProxyAnswer, ProxyOrder } from './proxy-main.ts';
import { tsxImport } from './tsx-loader.ts';

/**
 * The InstanceProxy in a child process (proxy-main.ts), for runs whose own process is busy
 * with hundreds of simulated calls and agents: there, every forward waited behind them.
 */
export class ProxyProcess implements Proxy {
  private constructor(private readonly child: ChildProcess) {}

  static async start(
    backends: string[],
    spread: Spread,
    port: number,
  ): Promise<{ proxy: ProxyProcess; origin: string }> {
    const child = fork(fileURLToPath(new URL('./proxy-main.ts', import.meta.url)), [], {
      execArgv: tsxImport(),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const proxy = new ProxyProcess(child);
    try {
      const answer = await proxy.ask({ kind: 'start', backends, spread, port });
      if (answer.kind !== 'listening') throw new Error(`the proxy did not listen: ${answer.kind}`);
      return { proxy, origin: answer.origin };
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
  }

  async perBackend(): Promise<number[]> {
    const answer = await this.ask({ kind: 'counts' });
    if (answer.kind !== 'counts') throw new Error(`the proxy answered ${answer.kind}`);
    return answer.counts;
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null || !this.child.connected) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    await this.ask({ kind: 'close' }).catch(() => this.child.kill('SIGKILL'));
    await exited;
  }

  /** One order, its answer (orders are sent one at a time by the stack). */
  private ask(order: ProxyOrder): Promise<ProxyAnswer> {
    return new Promise((resolve, reject) => {
      const onMessage = (answer: ProxyAnswer) => {
        cleanup();
        if (answer.kind === 'failed') reject(new Error(`proxy: ${answer.error}`));
        else resolve(answer);
      };
      const onExit = () => {
        cleanup();
        reject(new Error('the proxy process exited'));
      };
      const cleanup = () => {
        this.child.off('message', onMessage);
        this.child.off('exit', onExit);
      };
      this.child.on('message', onMessage);
      this.child.once('exit', onExit);
      this.child.send(order);
    });
  }
}
