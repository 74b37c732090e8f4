/**
 * Requests of a logged-in member: like lib/api.ts (same origin, no cache, no referrer, no
 * redirects) but sending the HttpOnly session cookie, which only these pages need.
 */
import { ApiError, request, requestJson } from './api.js';

export { ApiError };

const WITH_SESSION: RequestInit = { credentials: 'same-origin' };

/** @throws ApiError */
export function memberRequest(path: string, init: RequestInit = {}): Promise<Response> {
  return request(path, { ...WITH_SESSION, ...init });
}

/** @throws ApiError */
export function memberJson<T>(path: string, method = 'GET', body?: unknown): Promise<T> {
  return requestJson<T>(path, {
    ...WITH_SESSION,
    method,
    headers: body === undefined ? { accept: 'application/json' } : { 'content-type': 'application/json', accept: 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

/** The logged-in member's login name, or undefined when not logged in (401). @throws ApiError otherwise */
export async function currentMember(): Promise<string | undefined> {
  try {
    return (await memberJson<{ login: string }>('/api/members/me')).login;
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) return undefined;
    throw e;
  }
}
