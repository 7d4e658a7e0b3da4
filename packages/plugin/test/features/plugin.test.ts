import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as Flex from '@twilio/flex-ui';
import { LifelinePlugin, PLUGIN_NAME } from '../../src/LifelinePlugin.ts';
import { createFakeFlex } from '../fakes/flex-ui.ts';

afterEach(() => vi.restoreAllMocks());

describe('LifelinePlugin', () => {
  it('is a Flex plugin whose init adds every listener and the modal', () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    // The plugin asks its server on load; no request may leave the test.
    const fetch = vi
      .spyOn(window, 'fetch')
      .mockImplementation(async () => new Response('{}', { status: 404 }));
    const fake = createFakeFlex();
    const plugin = new LifelinePlugin();
    expect(plugin.name).toBe(PLUGIN_NAME);
    plugin.init(fake.flex as unknown as typeof Flex, fake.manager as unknown as Flex.Manager);
    const listeners = {
      beforeAcceptTask: 1,
      // Registration, and the modal's check for a recovery task still to accept.
      afterAcceptTask: 2,
      beforeHangupCall: 1,
      beforeEndConferenceForAll: 1,
      beforeTransferTask: 1,
      beforeWrapupTask: 1,
      beforeCompleteTask: 1,
    };
    for (const [event, count] of Object.entries(listeners)) {
      expect(fake.flex.Actions.listenerCount(event), event).toBe(count);
    }
    expect(fake.rendered).toHaveLength(1);
    expect(fetch).toHaveBeenCalledWith(
      'https://lifeline.test/api/v1/workers/WK00000000000000000000000000000001/recovery',
      expect.objectContaining({ method: 'GET' }),
    );
  });

  it('stays out of Flex without a server URL, saying where to set it', () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const fake = createFakeFlex({ lifeline: {} });
    new LifelinePlugin().init(
      fake.flex as unknown as typeof Flex,
      fake.manager as unknown as Flex.Manager,
    );
    expect(String(errors.mock.calls[0]?.[0])).toMatch(/ui_attributes.lifeline.serverUrl/);
    expect(fake.flex.Actions.listenerCount('beforeAcceptTask')).toBe(0);
    expect(fake.rendered).toHaveLength(0);
  });
});
