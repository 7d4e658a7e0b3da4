import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../scripts/lifeline/commands.ts';
import { useHarness } from '../support/context.ts';
import { ADMIN_TOKEN, AGENT_TOKEN, CONF, TASK, WORKER } from '../support/payloads.ts';
import { NEW_CONF, refreshRecovery, storedState } from './recovery.ts';

describe('pnpm lifeline, against a running server', () => {
  const h = useHarness('memory');

  async function cli(argv: string[], env: Record<string, string> = {}) {
    // One listening server per test: the CLI talks HTTP like it would to production.
    if (!h.app.server.listening) await h.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = h.app.server.address() as AddressInfo;
    const address = `http://127.0.0.1:${port}`;
    const out: string[] = [];
    const err: string[] = [];
    const code = await run(argv, {
      env: { LIFELINE_URL: address, LIFELINE_TOKEN: ADMIN_TOKEN, ...env },
      out: (text) => out.push(text),
      err: (text) => err.push(text),
    });
    return { code, out: out.join('\n'), err: err.join('\n') };
  }

  it('lists live recoveries, prints the timeline, exports a case and replays it to the same state', async () => {
    const steps = refreshRecovery(h.app, h.twilio);
    // Up to the middle of the recovery: it is live.
    for (const step of steps.slice(0, 3)) await step.run();
    const live = await cli(['list']);
    expect(live.code).toBe(0);
    expect(live.out).toContain(CONF);
    expect(live.out).toContain(TASK);
    expect(live.out).toContain(WORKER);
    expect(live.out).toContain(await storedState(h.app));

    for (const step of steps.slice(3)) await step.run();
    const finished = await cli(['list']);
    // The call goes on in the agent's new conference: that one is live, the recovered one not.
    expect(finished.out).not.toContain(CONF);
    expect(finished.out).toContain(NEW_CONF);
    expect((await cli(['list', '--all', '--outcome', 'recovered'])).out).toContain(CONF);

    const inspected = await cli(['inspect', CONF]);
    expect(inspected.code).toBe(0);
    const page = (
      await h.app.inject({
        method: 'GET',
        url: `/inspect/api/conferences/${CONF}`,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      })
    ).json() as { lines: string[] };
    // The same timeline as the page: every one of its lines, in order.
    expect(inspected.out.split('\n').slice(2)).toEqual(page.lines);

    const exported = await cli(['export', CONF]);
    expect(exported.code).toBe(0);
    const dir = await mkdtemp(join(tmpdir(), 'lifeline-case-'));
    try {
      const file = join(dir, 'case.json');
      await writeFile(file, exported.out);
      const replayed = await cli(['replay', file], {});
      expect(replayed.err).toBe('');
      expect(replayed.code).toBe(0);
      const final = await storedState(h.app);
      expect(replayed.out.split('\n').at(-1)).toBe(
        `final: ${final} (final); the server had ${final}: same`,
      );
      expect(replayed.out).not.toContain('DIVERGED');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says why when the server refuses or the input is wrong', async () => {
    const agent = await cli(['list'], { LIFELINE_TOKEN: AGENT_TOKEN });
    expect(agent.code).toBe(1);
    expect(agent.err).toContain('403');
    const unknown = await cli(['inspect', 'CF' + 'f'.repeat(32)]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('404');
    expect((await cli(['inspect', 'nope'])).err).toContain('conference SID');
    expect((await cli(['frobnicate'])).code).toBe(2);
    const noAuth = await run(['list'], { env: {}, out: () => undefined, err: () => undefined });
    expect(noAuth).toBe(1);
  });
});
