/**
 * The instance proxy in a process of its own (proxy-process.ts starts it): a load balancer is
 * not part of the simulator's process, and in one with hundreds of simulated agents and
 * calls its accepts and forwards waited behind their work (connect timeouts of 10 s were the
 * test's own, not Lifeline's). Driven over IPC: a start order, then counts and close.
 */
import { InstanceProxy } from './instance-proxy.ts';
import type { Spread } from './instance-proxy.ts';

export type ProxyOrder =
  | { kind: 'start'; backends: string[]; spread: Spread; port: number }
  | { kind: 'counts' }
  | { kind: 'close' };

export type ProxyAnswer =
  | { kind: 'listening'; origin: string }
  | { kind: 'counts'; counts: number[] }
  | { kind: 'closed' }
  | { kind: 'failed'; error: string };

let proxy: InstanceProxy | null = null;

function answer(message: ProxyAnswer): void {
  process.send?.(message);
}

process.on('message', (order: ProxyOrder) => {
  void (async () => {
    try {
      if (order.kind === 'start') {
        proxy = new InstanceProxy(order.backends, order.spread);
        answer({ kind: 'listening', origin: await proxy.listen(order.port) });
      } else if (order.kind === 'counts') {
        answer({ kind: 'counts', counts: (await proxy?.perBackend()) ?? [] });
      } else {
        await proxy?.close();
        answer({ kind: 'closed' });
        process.disconnect();
      }
    } catch (error) {
      answer({ kind: 'failed', error: error instanceof Error ? error.message : String(error) });
    }
  })();
});
// The parent gone (a test killed mid-run): nothing is left listening.
process.on('disconnect', () => process.exit(0));
