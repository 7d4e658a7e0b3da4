/** The variables loadConfig requires, with harmless values, for tests that vary the rest. */
const hex = (n: number) => n.toString(16).padStart(32, '0');

export const REQUIRED_ENV = {
  TWILIO_ACCOUNT_SID: `AC${hex(1)}`,
  TWILIO_AUTH_TOKEN: 'test-auth-token-not-a-secret',
  TWILIO_WORKSPACE_SID: `WS${hex(1)}`,
  RECOVERY_PING_WORKFLOW_SID: `WW${hex(99)}`,
  PUBLIC_BASE_URL: 'https://lifeline.test',
} as const;
