// How an error answer of the API reads on the page.

/** The text of an error answer: the server's message verbatim, "Forbidden: " before it for a 403. */
export function errorText(status: number, message: string): string {
  if (status === 403 && !message.startsWith('Forbidden')) return `Forbidden: ${message}`;
  return message;
}

/** The `error` field of an answer's body, or a fallback naming the status. */
export function errorMessageOf(body: unknown, status: number, statusText: string): string {
  if (typeof body === 'object' && body !== null && 'error' in body && typeof body.error === 'string' && body.error !== '') return body.error;
  return `HTTP ${status}${statusText === '' ? '' : ` ${statusText}`}`;
}
