/**
 * Requests to the site's own server. Same origin only, no credentials, no cache, no
 * referrer, no redirects followed: a reporter's page talks to nobody else.
 */

/** A refusal by the server (4xx/5xx) with its short `error` message, or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const BASE: RequestInit = {
  credentials: 'omit',
  cache: 'no-store',
  referrerPolicy: 'no-referrer',
  redirect: 'error',
  mode: 'same-origin',
};

/** Seconds to add to this device's clock to get the server's, learnt from Date headers. */
let clockOffset = 0;

/** Unix seconds by the server's clock as far as we know it (signed requests must be within its window). */
export function serverNow(): number {
  return Math.floor(Date.now() / 1000) + clockOffset;
}

function learnClock(res: Response): void {
  const d = res.headers.get('date');
  const t = d ? Date.parse(d) : NaN;
  if (Number.isFinite(t)) {
    const off = Math.round(t / 1000 - Date.now() / 1000);
    // A second or two is the Date header's own rounding; only a real skew matters.
    clockOffset = Math.abs(off) > 30 ? off : 0;
  }
}

async function errorOf(res: Response): Promise<ApiError> {
  let message = `HTTP ${res.status}`;
  try {
    const body = (await res.json()) as unknown;
    if (body && typeof body === 'object' && typeof (body as { error?: unknown }).error === 'string') {
      message = (body as { error: string }).error.slice(0, 200);
    }
  } catch {
    // not JSON: keep the status
  }
  return new ApiError(res.status, message);
}

/**
 * Fetch a same-origin path; returns the Response when it is 2xx.
 * @throws ApiError (status 0 on a network failure)
 */
export async function request(path: string, init: RequestInit = {}): Promise<Response> {
  if (!path.startsWith('/') || path.startsWith('//')) throw new Error('same-origin paths only');
  let res: Response;
  try {
    res = await fetch(path, { ...BASE, ...init });
  } catch {
    throw new ApiError(0, 'network');
  }
  learnClock(res);
  if (!res.ok) throw await errorOf(res);
  return res;
}

/** GET or POST JSON and parse the JSON answer. @throws ApiError */
export async function requestJson<T>(path: string, init: RequestInit = {}): Promise<T> {
  const res = await request(path, init);
  try {
    return (await res.json()) as T;
  } catch {
    throw new ApiError(res.status, 'invalid response');
  }
}

/**
 * POST binary data with upload progress (fetch cannot report it), same origin, no credentials.
 * @throws ApiError
 */
export function uploadBinary<T>(
  path: string,
  body: Uint8Array,
  headers: Record<string, string>,
  onProgress?: (sent: number, total: number) => void,
): Promise<T> {
  if (!path.startsWith('/') || path.startsWith('//')) throw new Error('same-origin paths only');
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', path);
    xhr.withCredentials = false;
    xhr.responseType = 'text';
    xhr.setRequestHeader('content-type', 'application/octet-stream');
    for (const [k, v] of Object.entries(headers)) xhr.setRequestHeader(k, v);
    xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : body.length);
    xhr.onerror = () => reject(new ApiError(0, 'network'));
    xhr.onabort = () => reject(new ApiError(0, 'network'));
    xhr.onload = () => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(xhr.responseText);
      } catch {
        parsed = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300 && parsed !== undefined) {
        onProgress?.(body.length, body.length);
        resolve(parsed as T);
        return;
      }
      const msg =
        parsed && typeof parsed === 'object' && typeof (parsed as { error?: unknown }).error === 'string'
          ? (parsed as { error: string }).error.slice(0, 200)
          : `HTTP ${xhr.status}`;
      reject(new ApiError(xhr.status, msg));
    };
    // A copy typed as a plain ArrayBuffer view (XHR does not take SharedArrayBuffer-backed views).
    xhr.send(new Blob([body as Uint8Array<ArrayBuffer>]));
  });
}
