import type { Lang } from './i18n';
import { getItem, readJson, removeItem, setItem } from './storage';

/**
 * The learner's session and calls to the Hocso API (same origin as the embed page).
 *
 * `sessionStorage['hocso.session']` = `{ accessToken, refreshToken, expiresAt }` (expiresAt: ISO
 * string or epoch milliseconds). An LTI launch writes it before navigating to the page; the sign-in
 * form here writes it too. Tokens live only there and in Authorization headers — never in a URL,
 * a cookie or localStorage. Refresh tokens rotate on every use and a reused one revokes its whole
 * family, so refreshing is single-flight across every Hocso frame of the tab (Web Locks) and
 * re-reads the stored session first: if another frame already refreshed, its pair is used.
 */
export const SESSION_KEY = 'hocso.session';
const REQUEST_TIMEOUT_MS = 20_000;

export interface Session {
  accessToken: string;
  refreshToken: string;
  expiresAt?: string | number;
}

interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
}

/** An answer other than 2xx, with the problem+json text when the server sent one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: { title?: string; detail?: string; code?: string } | null,
  ) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
  }
}

/** No usable session (none stored, or the refresh token was refused). */
export class SignedOutError extends Error {}

/** The request never got an answer (offline, timeout, DNS…). */
export class NetworkError extends Error {}

export function readSession(): Session | null {
  const s = readJson<Session>(SESSION_KEY);
  return s && typeof s.accessToken === 'string' && typeof s.refreshToken === 'string' ? s : null;
}

type Listener = (session: Session | null) => void;
const listeners = new Set<Listener>();

export function onSessionChange(listener: Listener): void {
  listeners.add(listener);
}

function notify(): void {
  const s = readSession();
  for (const l of listeners) l(s);
}

// Another Hocso frame of this tab signed in, refreshed or signed out.
window.addEventListener('storage', (e) => {
  if (e.key === SESSION_KEY || e.key === null) notify();
});

function store(pair: TokenPair): Session {
  const session: Session = {
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    expiresAt: new Date(Date.now() + (Number(pair.expiresIn) || 900) * 1000).toISOString(),
  };
  setItem(SESSION_KEY, JSON.stringify(session));
  return session;
}

function expiresSoon(s: Session): boolean {
  if (s.expiresAt === undefined) return false;
  const at = typeof s.expiresAt === 'number' ? s.expiresAt : Date.parse(s.expiresAt);
  return Number.isFinite(at) && at - 30_000 < Date.now();
}

async function problemOf(res: Response): Promise<ApiError> {
  let problem: ApiError['problem'] = null;
  try {
    const type = res.headers.get('content-type') ?? '';
    if (type.includes('json')) problem = (await res.json()) as ApiError['problem'];
  } catch {
    // no readable body
  }
  return new ApiError(res.status, problem);
}

export class Api {
  private refreshing?: Promise<Session | null>;

  constructor(
    readonly base: string,
    readonly lang: Lang,
  ) {}

  private async send(method: string, path: string, body: unknown, token?: string, keepalive = false) {
    const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': this.lang };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (token) headers.Authorization = `Bearer ${token}`;
    // A weak connection can leave a request hanging: give up after 20 s (the caller retries).
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
    try {
      return await fetch(`${this.base}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
        keepalive,
        signal: abort.signal,
      });
    } catch (err) {
      throw new NetworkError(err instanceof Error ? err.message : String(err));
    } finally {
      clearTimeout(timer);
    }
  }

  /** A call as the signed-in learner: refreshes before expiry and once more on a 401. */
  async call<T>(method: string, path: string, body?: unknown, options: { keepalive?: boolean } = {}): Promise<T> {
    let session = readSession();
    if (!session) throw new SignedOutError();
    if (expiresSoon(session)) session = await this.refresh(session);
    if (!session) throw new SignedOutError();
    let res = await this.send(method, path, body, session.accessToken, options.keepalive);
    if (res.status === 401) {
      session = await this.refresh(session);
      if (!session) throw new SignedOutError();
      res = await this.send(method, path, body, session.accessToken, options.keepalive);
      if (res.status === 401) {
        this.signOutLocally();
        throw new SignedOutError();
      }
    }
    if (!res.ok) throw await problemOf(res);
    return (res.status === 204 ? undefined : await res.json()) as T;
  }

  async login(identifier: string, password: string): Promise<Session> {
    const res = await this.send('POST', '/v1/auth/login', { identifier, password });
    if (!res.ok) throw await problemOf(res);
    const session = store((await res.json()) as TokenPair);
    notify();
    return session;
  }

  async logout(): Promise<void> {
    const session = readSession();
    this.signOutLocally();
    if (session) await this.send('POST', '/v1/auth/logout', { refreshToken: session.refreshToken }).catch(() => {});
  }

  signOutLocally(): void {
    removeItem(SESSION_KEY);
    notify();
  }

  /** Exchanges `used`'s refresh token once for the whole tab; null when the server refuses it. */
  private refresh(used: Session): Promise<Session | null> {
    const run = async (): Promise<Session | null> => {
      const current = readSession();
      if (!current) return null;
      if (current.refreshToken !== used.refreshToken && !expiresSoon(current)) return current;
      const res = await this.send('POST', '/v1/auth/refresh', { refreshToken: current.refreshToken });
      if (res.ok) {
        const next = store((await res.json()) as TokenPair);
        notify();
        return next;
      }
      if (res.status === 400 || res.status === 401 || res.status === 403) {
        // Only forget the session if nobody replaced it meanwhile.
        if (getItem(SESSION_KEY) && readSession()?.refreshToken === current.refreshToken) this.signOutLocally();
        return null;
      }
      throw await problemOf(res);
    };
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    if (locks) return locks.request('hocso.session.refresh', run);
    this.refreshing ??= run().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }
}
