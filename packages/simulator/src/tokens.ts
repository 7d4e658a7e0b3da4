import { randomBytes } from 'node:crypto';
import { iso8601 } from './dates.ts';
import type { RealClock } from './clock.ts';
import { newSid } from './sids.ts';

export interface IssuedToken {
  token: string;
  workerSid: string;
  roles: string[];
  identity: string;
  realmUserId: string;
  expiresAt: number;
  revoked: boolean;
}

export type TokenValidation =
  | { valid: false; code: number; message: string }
  | {
      valid: true;
      worker_sid: string;
      roles: string[];
      identity: string;
      realm_user_id: string;
      expiration: string;
    };

/**
 * Flex tokens the simulator issues to its agents, and the IAM validation answer for them
 * (`POST /v1/Accounts/{AccountSid}/Tokens/validate`). Tokens are opaque here: the server
 * must validate them through the endpoint, as it does with real Flex tokens.
 */
export class Tokens {
  private readonly issued = new Map<string, IssuedToken>();
  private readonly realmUsers = new Map<string, string>();

  constructor(private readonly clock: RealClock) {}

  issue(
    workerSid: string,
    identity: string,
    roles: string[] = ['agent'],
    ttlMs = 60 * 60 * 1000,
  ): IssuedToken {
    let realmUserId = this.realmUsers.get(workerSid);
    if (realmUserId === undefined) {
      realmUserId = newSid('US');
      this.realmUsers.set(workerSid, realmUserId);
    }
    const token: IssuedToken = {
      token: `simflex.${randomBytes(24).toString('base64url')}`,
      workerSid,
      roles,
      identity,
      realmUserId,
      expiresAt: this.clock.now() + ttlMs,
      revoked: false,
    };
    this.issued.set(token.token, token);
    return token;
  }

  revoke(token: string): void {
    const issued = this.issued.get(token);
    if (issued !== undefined) issued.revoked = true;
  }

  validate(token: unknown): TokenValidation {
    if (typeof token !== 'string' || token === '') {
      return { valid: false, code: 20001, message: 'token is required' };
    }
    const issued = this.issued.get(token);
    if (issued === undefined || issued.revoked) {
      return { valid: false, code: 20151, message: 'Invalid token' };
    }
    if (issued.expiresAt <= this.clock.now()) {
      return { valid: false, code: 20104, message: 'Token expired' };
    }
    return {
      valid: true,
      worker_sid: issued.workerSid,
      roles: issued.roles,
      identity: issued.identity,
      realm_user_id: issued.realmUserId,
      expiration: iso8601(issued.expiresAt),
    };
  }
}
