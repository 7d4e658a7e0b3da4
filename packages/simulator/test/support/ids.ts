import { testAccount } from '../../src/testing/index.ts';

/** Test SIDs: prefix + 32 hex digits. */
export const { accountSid, authToken, workspaceSid } = testAccount;
