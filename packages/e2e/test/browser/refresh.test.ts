// @vitest-environment node
import { afterAll, beforeAll, describe, it } from 'vitest';
import { refreshDuringCall } from './refresh-during-call.ts';
import type { BrowserSession } from './session.ts';
import { startBrowserSession } from './session.ts';

let session: BrowserSession | undefined;
beforeAll(async () => {
  session = await startBrowserSession();
}, 60_000);
afterAll(async () => session?.close());

describe('agent refresh in a browser (plugin source, real server and simulator)', () => {
  it(
    'registers, shows the modal after the reload, blocks Complete, and closes once recovered',
    { timeout: 90_000 },
    async () => {
      if (session === undefined) throw new Error('no browser session');
      await refreshDuringCall(session, session.harnessUrl(), 'plugin-recovery');
    },
  );
});
