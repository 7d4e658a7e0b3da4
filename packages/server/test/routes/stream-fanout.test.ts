/**
 * Open streams are woken through the store's pub/sub: a commit on one instance reaches a
 * stream held by another, and an idle stream reads nothing from the store. On both store
 * backends (ioredis-mock shares its pub/sub between clients as Redis does between connections).
 */
import { request } from 'node:http';
import type { IncomingMessage } from 'node:http';
import { describe, expect, it, vi } from 'vitest';
import type { StoreKind } from '../support/app.ts';
import { useHarness } from '../support/context.ts';
import { Flow } from '../support/flow.ts';
import { AGENT_TOKEN, CONF } from '../support/payloads.ts';
import { sseReader } from '../support/sse.ts';

for (const kind of ['memory', 'redis'] satisfies StoreKind[]) {
  describe(`SSE fan-out through pub/sub (${kind})`, () => {
    const h = useHarness(kind);

    it("wakes a stream on one instance with another instance's commit, and reads nothing while idle", async () => {
      const other = await h.newApp();
      // The conference is registered and joined through the other instance only.
      const viaOther = new Flow(() => [other], h.twilio);
      await viaOther.threePartyCall();

      const address = await h.app.listen({ port: 0, host: '127.0.0.1' });
      const response = await new Promise<IncomingMessage>((resolve, reject) => {
        request(`${address}/api/v1/conferences/${CONF}/stream?token=${AGENT_TOKEN}`, resolve)
          .on('error', reject)
          .end();
      });
      expect(response.statusCode).toBe(200);
      const reader = sseReader(response);
      expect(await reader.next(1)).toMatchObject({ state: 'connected' });

      // Idle: more than a former polling period passes without a single store read.
      const loads = vi.spyOn(h.app.lifeline.store, 'load');
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(loads).not.toHaveBeenCalled();

      await viaOther.agentDrops();
      expect(await reader.next(2)).toMatchObject({ state: 'pinging' });
      // The one read the publish asked for (no effects run here: the loops are off).
      expect(loads).toHaveBeenCalledTimes(1);
      response.destroy();
    });
  });
}
