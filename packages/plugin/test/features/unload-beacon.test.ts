import { describe, expect, it } from 'vitest';
import { bothLegs, startPlugin, voiceTask } from '../fixtures/plugin.ts';
import { CONF, SERVER, WORKER } from '../fixtures/sids.ts';

describe('pagehide (unload-beacon)', () => {
  it('sends a beacon with the token for each live call', () => {
    const plugin = startPlugin({
      seed: [voiceTask({ status: 'accepted', conference: bothLegs() })],
    });
    window.dispatchEvent(new Event('pagehide'));
    expect(plugin.sendBeacon).toHaveBeenCalledWith(
      `${SERVER}/api/v1/conferences/${CONF}/agents/${WORKER}/unload`,
      JSON.stringify({ token: 'sso-token' }),
    );
  });

  it('sends nothing without a live call', () => {
    const plugin = startPlugin({
      seed: [voiceTask({ status: 'wrapping', conference: bothLegs() })],
    });
    window.dispatchEvent(new Event('pagehide'));
    expect(plugin.sendBeacon).not.toHaveBeenCalled();
  });

  it('stops listening when disconnected', () => {
    const plugin = startPlugin({
      seed: [voiceTask({ status: 'accepted', conference: bothLegs() })],
    });
    plugin.connection.disconnect();
    window.dispatchEvent(new Event('pagehide'));
    expect(plugin.sendBeacon).not.toHaveBeenCalled();
  });
});
