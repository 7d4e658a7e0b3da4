// @vitest-environment node
import { afterAll, beforeAll, describe, it } from 'vitest';
import { refreshDuringCall, startBrowserSession } from './session.ts';

let session: Awaited<ReturnType<typeof startBrowserSession>>;
beforeAll(async () => {
  session = await startBrowserSession();
}, 60_000);
afterAll(async () => session?.close());

describe('agent refresh in a browser (plugin source in the harness)', () => {
  it('shows the modal, blocks Complete, and closes once recovered', { timeout: 90_000 }, () =>
    refreshDuringCall(session, session.harnessUrl(), 'plugin-recovery'),
  );
});
