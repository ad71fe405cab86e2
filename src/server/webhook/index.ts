/** The Git webhook receiver: what the controller imports from server/webhook/. */
export { handleAdmitted, handleAdmittedAsync, handleWebhook } from './handler.js';
export type { AdmittedRequest, HandleWebhookOptions } from './handler.js';
export { admitRequest } from './admission.js';
export { DeliveryLog } from './deliveries.js';
export { startWebhookServer, webhookPath, webhookServerDefaults } from './server.js';
export type { WebhookServer, WebhookServerOptions } from './server.js';
export { WebhookServerError, webhookServerErrorCodes } from './errors.js';
export type { WebhookServerErrorCode } from './errors.js';
export { webhookProviders } from './types.js';
export type {
  AsyncWebhookTarget,
  PushEvent,
  WebhookLogger,
  WebhookProvider,
  WebhookRequest,
  WebhookResponse,
  WebhookSecrets,
  WebhookTarget,
} from './types.js';
