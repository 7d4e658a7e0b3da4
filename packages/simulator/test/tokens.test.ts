import { describe, expect, it } from 'vitest';
import { standardWorkspace, useHarness } from './support/sim.ts';
import { accountSid, authToken } from './support/ids.ts';

const h = useHarness();

async function validate(token: string, credentials = `${accountSid}:${authToken}`) {
  const response = await fetch(`${h.sim.url}/v1/Accounts/${accountSid}/Tokens/validate`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Basic ${Buffer.from(credentials).toString('base64')}`,
    },
    body: JSON.stringify({ token }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('Flex token validation (iam)', () => {
  it('vouches for tokens the simulator issued, with worker, roles, identity and expiry', async () => {
    const setup = standardWorkspace(h.sim);
    const token = h.sim.tokenFor(setup.alice.sid, ['agent', 'supervisor']);
    const { status, body } = await validate(token);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      valid: true,
      worker_sid: setup.alice.sid,
      roles: ['agent', 'supervisor'],
      identity: 'alice',
    });
    expect(body['realm_user_id']).toMatch(/^US[0-9a-f]{32}$/);
    expect(Date.parse(String(body['expiration']))).toBeGreaterThan(Date.now());
  });

  it('answers valid:false with a message for unknown, revoked and expired tokens', async () => {
    const setup = standardWorkspace(h.sim);
    expect((await validate('nonsense')).body).toMatchObject({
      valid: false,
      message: 'Invalid token',
    });
    const revoked = h.sim.tokenFor(setup.alice.sid);
    h.sim.tokens.revoke(revoked);
    expect((await validate(revoked)).body).toMatchObject({ valid: false });
    const expired = h.sim.issueToken(setup.alice.sid, ['agent'], -1).token;
    expect((await validate(expired)).body).toMatchObject({
      valid: false,
      message: 'Token expired',
    });
  });

  it('answers the twilio client’s own request to the IAM host (rewritten to the simulator)', async () => {
    const setup = standardWorkspace(h.sim);
    const token = h.sim.tokenFor(setup.alice.sid);
    const response = await h.client.request({
      method: 'post',
      uri: `https://iam.twilio.com/v1/Accounts/${accountSid}/Tokens/validate`,
      data: { token },
      headers: { 'Content-Type': 'application/json' },
    });
    expect(response.statusCode).toBe(200);
    const body: unknown =
      typeof response.body === 'string' ? JSON.parse(response.body) : response.body;
    expect(body).toMatchObject({ valid: true, worker_sid: setup.alice.sid });
  });

  it('requires the account’s basic auth', async () => {
    const { status, body } = await validate('x', `${accountSid}:wrong`);
    expect(status).toBe(401);
    expect(body).toMatchObject({ code: 20003 });
  });

  it('keeps an earlier token of a worker valid when a new one is issued, as Flex tokens stay', async () => {
    const setup = standardWorkspace(h.sim);
    const before = h.sim.tokenFor(setup.alice.sid);
    const after = h.sim.tokenFor(setup.alice.sid);
    expect(after).not.toBe(before);
    expect((await validate(before)).body).toMatchObject({ valid: true });
    expect((await validate(after)).body).toMatchObject({ valid: true });
  });
});
