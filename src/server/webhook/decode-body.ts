/** Turns a request body into JSON: plain JSON, or the `payload` field of a form (GitHub and Gitea offer both). */
import { mediaType } from './payload.js';
import type { WebhookHeaders } from './types.js';

export type DecodedBody = { ok: true; json: unknown } | { ok: false; message: string };

export function decodeBody(headers: WebhookHeaders, body: Buffer): DecodedBody {
  let text = body.toString('utf8');
  if (mediaType(headers) === 'application/x-www-form-urlencoded') {
    const payload = new URLSearchParams(text).get('payload');
    if (payload === null) return { ok: false, message: 'form body without a payload field' };
    text = payload;
  }
  try {
    return { ok: true, json: JSON.parse(text) as unknown };
  } catch {
    return { ok: false, message: 'invalid JSON body' };
  }
}
