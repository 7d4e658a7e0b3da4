/** Test SIDs: prefix + 32 hex digits. */
export const accountSid = 'AC' + '0a'.repeat(16);
export const authToken = 'simulated-auth-token';
export const workspaceSid = 'WS' + '0b'.repeat(16);
