export const webhookServerErrorCodes = ['InvalidAddress', 'InvalidOptions', 'ListenFailed'] as const;
export type WebhookServerErrorCode = (typeof webhookServerErrorCodes)[number];

/** The webhook server could not start. */
export class WebhookServerError extends Error {
  readonly code: WebhookServerErrorCode;

  constructor(code: WebhookServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'WebhookServerError';
    this.code = code;
  }
}
