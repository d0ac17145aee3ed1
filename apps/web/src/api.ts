import { lang } from './i18n';

/**
 * The Hocso API from the portal: same origin, Bearer access token (15 min) refreshed with the
 * rotating refresh token, both kept in localStorage so a learner stays signed in on their own phone.
 * Errors are RFC 9457 problem documents; `ApiError` carries the code and the per-field errors.
 */
export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly errors: FieldError[] = [],
    readonly body: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

/** The request never reached the server (offline, DNS, timeout). */
export class OfflineError extends Error {}

export interface Me {
  id: string;
  fullName: string;
  email: string | null;
  phone: string | null;
  roles: string[];
  orgUnitId: string | null;
  locale: 'vi' | 'en';
}

const TOKENS = 'hocso.session';
interface Tokens {
  accessToken: string;
  refreshToken: string;
}

function readTokens(): Tokens | null {
  try {
    const raw = localStorage.getItem(TOKENS);
    return raw ? (JSON.parse(raw) as Tokens) : null;
  } catch {
    return null;
  }
}

function writeTokens(tokens: Tokens | null): void {
  try {
    if (tokens) localStorage.setItem(TOKENS, JSON.stringify(tokens));
    else localStorage.removeItem(TOKENS);
  } catch {
    // storage blocked: the session lasts this page
  }
}

/** The last profile seen on this device: the header shows the right links from the first paint. */
function savedMe(): Me | null {
  try {
    const raw = localStorage.getItem('hocso.me');
    return raw && localStorage.getItem(TOKENS) ? (JSON.parse(raw) as Me) : null;
  } catch {
    return null;
  }
}

let me: Me | null = savedMe();
const sessionListeners = new Set<() => void>();

export function onSessionChange(fn: () => void): () => void {
  sessionListeners.add(fn);
  return () => sessionListeners.delete(fn);
}

function sessionChanged() {
  for (const fn of sessionListeners) fn();
}

export function signedIn(): boolean {
  return readTokens() !== null;
}

export function currentUser(): Me | null {
  return me;
}

export function hasRole(...roles: string[]): boolean {
  return !!me && me.roles.some((r) => roles.includes(r));
}

let refreshing: Promise<boolean> | null = null;

async function refresh(): Promise<boolean> {
  const tokens = readTokens();
  if (!tokens) return false;
  refreshing ??= (async () => {
    try {
      const res = await fetch('/v1/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ refreshToken: tokens.refreshToken }),
      });
      if (!res.ok) {
        if (res.status === 401 || res.status === 400) signOutLocally();
        return false;
      }
      const body = (await res.json()) as Tokens;
      writeTokens({ accessToken: body.accessToken, refreshToken: body.refreshToken });
      return true;
    } finally {
      refreshing = null;
    }
  })();
  return refreshing;
}

const ME = 'hocso.me';

function signOutLocally() {
  writeTokens(null);
  me = null;
  try {
    localStorage.removeItem(ME);
  } catch {
    // nothing kept
  }
  sessionChanged();
}

export interface RequestOptions {
  body?: unknown;
  /** a raw body (CSV text, FormData) sent as is */
  raw?: BodyInit;
  contentType?: string;
  headers?: Record<string, string>;
  /** parse the response as text (CSV) */
  text?: boolean;
  /** return the response body as a Blob (PDF, CSV downloads) */
  blob?: boolean;
  signal?: AbortSignal;
}

export async function request<T>(
  method: string,
  path: string,
  options: RequestOptions = {},
  retried = false,
): Promise<T> {
  const tokens = readTokens();
  const headers: Record<string, string> = {
    Accept: options.text ? 'text/csv, application/problem+json' : options.blob ? '*/*' : 'application/json',
    'Accept-Language': lang(),
    ...options.headers,
  };
  if (tokens) headers.Authorization = `Bearer ${tokens.accessToken}`;
  let body: BodyInit | undefined = options.raw;
  if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['Content-Type'] = 'application/json';
  } else if (options.contentType) headers['Content-Type'] = options.contentType;
  let res: Response;
  try {
    res = await fetch(path, { method, headers, body, signal: options.signal });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new OfflineError(String(err));
  }
  if (res.status === 401 && tokens && !retried && (await refresh())) {
    return request<T>(method, path, options, true);
  }
  if (!res.ok) {
    let problem: Record<string, unknown> = {};
    try {
      problem = (await res.json()) as Record<string, unknown>;
    } catch {
      // not JSON
    }
    throw new ApiError(
      res.status,
      String(problem.code ?? res.status),
      String(problem.detail ?? problem.title ?? res.statusText),
      Array.isArray(problem.errors) ? (problem.errors as FieldError[]) : [],
      problem,
    );
  }
  if (res.status === 204) return undefined as T;
  if (options.blob) return (await res.blob()) as T;
  return (options.text ? await res.text() : await res.json()) as T;
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('POST', path, { ...options, body }),
  put: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PUT', path, { ...options, body }),
  patch: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('PATCH', path, { ...options, body }),
  del: <T>(path: string, body?: unknown, options?: RequestOptions) => request<T>('DELETE', path, { ...options, body }),
};

/** Signs in; loads the profile; returns it. */
export async function signIn(identifier: string, password: string): Promise<Me> {
  const tokens = await api.post<Tokens>('/v1/auth/login', { identifier, password });
  writeTokens({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken });
  return loadMe();
}

export async function signOut(): Promise<void> {
  const tokens = readTokens();
  if (tokens) await api.post('/v1/auth/logout', { refreshToken: tokens.refreshToken }).catch(() => undefined);
  signOutLocally();
}

/** The signed-in profile (null when signed out or the session ended). */
export async function loadMe(): Promise<Me> {
  me = await api.get<Me>('/v1/me');
  try {
    // Kept so a page opened without a connection still knows who is signed in (and their roles).
    localStorage.setItem(ME, JSON.stringify(me));
  } catch {
    // not kept
  }
  sessionChanged();
  return me;
}

/** Restores the session at start-up without failing the page when offline. */
export async function restoreSession(): Promise<void> {
  if (!signedIn()) return;
  try {
    await loadMe();
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) signOutLocally();
    else if (err instanceof OfflineError) {
      try {
        const saved = localStorage.getItem(ME);
        if (saved) {
          me = JSON.parse(saved) as Me;
          sessionChanged();
        }
      } catch {
        // unknown offline
      }
    }
  }
}
