/**
 * An error Twilio's REST API would answer with. The world throws these; the HTTP layer turns
 * them into Twilio's JSON error shape `{code, message, more_info, status}`.
 */
export class TwilioApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'TwilioApiError';
  }

  get moreInfo(): string {
    return `https://www.twilio.com/docs/errors/${this.code}`;
  }
}

export const apiErrors = {
  notFound: (path: string) =>
    new TwilioApiError(404, 20404, `The requested resource ${path} was not found`),
  invalid: (message: string) => new TwilioApiError(400, 20001, message),
  callNotInProgress: () =>
    new TwilioApiError(400, 21220, 'Call is not in-progress. Cannot redirect.'),
  preconditionFailed: () =>
    new TwilioApiError(
      412,
      20412,
      'The resource does not meet one of preconditions defined by the request: ETag mismatch.',
    ),
  missingTo: () => new TwilioApiError(400, 21201, "No 'To' number is specified"),
  missingFrom: () => new TwilioApiError(400, 21603, "A 'From' phone number is required."),
};
