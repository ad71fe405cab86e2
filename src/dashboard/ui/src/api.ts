// The dashboard API over fetch: JSON in and out, errors as ApiRequestError with the text to show.
import { requestHeader, type ActionResult, type AppDetail, type AppDiff, type ResourceDetail, type SessionInfo } from '../../api-types.js';
import { errorMessageOf, errorText } from './api-error.js';

/** An error answer (or a failed request): `message` is what the page shows. */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function appPath(namespace: string, name: string): string {
  return `api/apps/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { credentials: 'same-origin', ...init });
  } catch (cause) {
    throw new ApiRequestError(0, `Cannot reach the dashboard server: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  const body: unknown = await response.json().catch(() => undefined);
  if (!response.ok) throw new ApiRequestError(response.status, errorText(response.status, errorMessageOf(body, response.status, response.statusText)));
  return body as T;
}

function post<T>(path: string, body: object): Promise<T> {
  return request<T>(path, {
    method: 'POST',
    headers: { [requestHeader]: '1', 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
}

/** The text of any error thrown by the functions below. */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export const api = {
  session: () => request<SessionInfo>('api/session'),
  login: (token: string) => post<unknown>('api/login', { token }),
  logout: () => post<unknown>('api/logout', {}),
  app: (namespace: string, name: string) => request<AppDetail>(appPath(namespace, name)),
  diff: (namespace: string, name: string) => request<AppDiff>(`${appPath(namespace, name)}/diff`),
  resource: (namespace: string, name: string, query: string) => request<ResourceDetail>(`${appPath(namespace, name)}/resource?${query}`),
  sync: (namespace: string, name: string, options: { prune: boolean; dryRun: boolean }) => post<ActionResult>(`${appPath(namespace, name)}/sync`, options),
  refresh: (namespace: string, name: string, hard: boolean) => post<ActionResult>(`${appPath(namespace, name)}/refresh`, { hard }),
  terminate: (namespace: string, name: string) => post<ActionResult>(`${appPath(namespace, name)}/terminate`, {}),
  rollback: (namespace: string, name: string, id: number) => post<ActionResult>(`${appPath(namespace, name)}/rollback`, { id }),
  appStreamUrl: (namespace: string, name: string) => `${appPath(namespace, name)}/stream`,
  appListStreamUrl: 'api/apps/stream',
};
