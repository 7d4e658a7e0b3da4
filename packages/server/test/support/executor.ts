import type { Twilio } from 'twilio';
import type { ExecutorContext } from '../../src/effects/executors.ts';
import { createTwilio } from '../../src/twilio/client.ts';
import { REQUIRED_ENV } from './env.ts';
import { startFakeTwilio } from './fake-twilio.ts';
import type { FakeTwilio } from './fake-twilio.ts';

/** What the effects need to run against `client`, with the test environment's SIDs and URLs. */
export function executorContext(
  client: Twilio,
  effectDone: ExecutorContext['effectDone'] = async () => false,
): ExecutorContext {
  return {
    client,
    accountSid: REQUIRED_ENV.TWILIO_ACCOUNT_SID,
    workspaceSid: REQUIRED_ENV.TWILIO_WORKSPACE_SID,
    recoveryPingWorkflowSid: REQUIRED_ENV.RECOVERY_PING_WORKFLOW_SID,
    announcementUrl: `${REQUIRED_ENV.PUBLIC_BASE_URL}/twiml/announcement`,
    holdUrl: `${REQUIRED_ENV.PUBLIC_BASE_URL}/twiml/hold`,
    publicBaseUrl: REQUIRED_ENV.PUBLIC_BASE_URL,
    redialCallbacks: async () => [],
    effectDone,
    now: Date.now,
  };
}

/** A fake Twilio and the effects' context on it, through Lifeline's own client. */
export async function onFakeTwilio(): Promise<{ twilio: FakeTwilio; ctx: ExecutorContext }> {
  const twilio = await startFakeTwilio();
  const { client } = createTwilio({
    accountSid: REQUIRED_ENV.TWILIO_ACCOUNT_SID,
    authToken: REQUIRED_ENV.TWILIO_AUTH_TOKEN,
    apiBaseUrl: twilio.url,
    maxConcurrency: 5,
    authConcurrency: 1,
  });
  return { twilio, ctx: executorContext(client) };
}
