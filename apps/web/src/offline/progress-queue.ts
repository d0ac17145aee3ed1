import { ApiError, api, currentUser, OfflineError, onSessionChange } from '../api';
import { openStore } from './idb';
import { setPending, updateSync } from './sync-state';

/**
 * Offline-first learning progress. Every event is written to IndexedDB first and sent in batches
 * (≤ 500) when online: after each record, on the `online` event, on sign-in and every 30 s while
 * something waits. Each event has a client-made eventId, so a resend is harmless (the server answers
 * "duplicate"). An event leaves the queue only once the server has answered for it — accepted,
 * duplicate or rejected (invalid events would never succeed); network failures and 5xx keep it.
 * Events are kept per user, so a shared phone never sends one person's progress as another's.
 */
export type ProgressType = 'lesson_started' | 'heartbeat' | 'lesson_completed' | 'block_completed' | 'video_progress';

export interface ProgressEvent {
  eventId: string;
  type: ProgressType;
  courseSlug: string;
  lessonId: string;
  blockId?: string;
  occurredAt: string;
  seconds?: number;
}

interface Stored extends ProgressEvent {
  userId: string;
}

interface BatchResult {
  results: Array<{ eventId: string; status: 'accepted' | 'duplicate' | 'rejected'; reason?: string }>;
}

const MAX_BATCH = 500;
const store = openStore<Stored>('hocso-progress', 'events', 'eventId');

function uuid(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** The signed-in user's id — from the profile, or (offline, before it loads) the access token. */
function userId(): string | null {
  const me = currentUser();
  if (me) return me.id;
  try {
    const raw = localStorage.getItem('hocso.session');
    if (!raw) return null;
    const token = (JSON.parse(raw) as { accessToken: string }).accessToken;
    const payload = JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: string };
    return payload.sub ?? null;
  } catch {
    return null;
  }
}

async function mine(): Promise<Stored[]> {
  const user = userId();
  if (!user) return [];
  const all = await store.all().catch(() => [] as Stored[]);
  return all.filter((e) => e.userId === user).sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
}

let pending = 0;
const pendingListeners = new Set<(n: number) => void>();

async function refreshCount(): Promise<number> {
  pending = (await mine()).length;
  setPending('progress', pending);
  for (const fn of pendingListeners) fn(pending);
  return pending;
}

/** Events of this user still waiting on this device. */
export function pendingCount(): number {
  return pending;
}

export function onPendingChange(fn: (n: number) => void): () => void {
  pendingListeners.add(fn);
  return () => pendingListeners.delete(fn);
}

/** Records an event (kept on the device first) and tries to send it. */
export async function record(
  event: Omit<ProgressEvent, 'eventId' | 'occurredAt'> & { occurredAt?: string },
): Promise<void> {
  const user = userId();
  if (!user) return;
  const stored: Stored = {
    ...event,
    eventId: uuid(),
    occurredAt: event.occurredAt ?? new Date().toISOString(),
    userId: user,
  };
  await store.put(stored);
  await refreshCount();
  void flush();
}

const strip = ({ userId: _u, ...e }: Stored): ProgressEvent => e;

let flushing: Promise<boolean> | null = null;

/** Sends what waits; resolves true when nothing is left for this user. */
export function flush(): Promise<boolean> {
  flushing ??= send().finally(() => {
    flushing = null;
  });
  return flushing;
}

async function post(events: Stored[]): Promise<string[]> {
  const res = await api.post<BatchResult>('/v1/progress-events', { events: events.map(strip) });
  return res.results.map((r) => r.eventId);
}

async function send(): Promise<boolean> {
  let batch = (await mine()).slice(0, MAX_BATCH);
  if (!batch.length) {
    await refreshCount();
    return true;
  }
  if (!navigator.onLine) {
    await refreshCount();
    return false;
  }
  updateSync({ syncing: true });
  try {
    while (batch.length) {
      let answered: string[];
      try {
        answered = await post(batch);
      } catch (err) {
        if (!(err instanceof ApiError && err.status === 400)) throw err;
        // The batch as a whole was refused: send one by one, dropping only the invalid ones.
        answered = [];
        for (const e of batch) {
          try {
            answered.push(...(await post([e])));
          } catch (one) {
            if (one instanceof ApiError && one.status === 400) answered.push(e.eventId);
            else throw one;
          }
        }
      }
      await store.delete(answered);
      updateSync({ online: true });
      await refreshCount();
      if (batch.length < MAX_BATCH) break;
      batch = (await mine()).slice(0, MAX_BATCH);
    }
    return true;
  } catch (err) {
    if (err instanceof OfflineError) updateSync({ online: false });
    return false;
  } finally {
    updateSync({ syncing: false });
    await refreshCount();
  }
}

window.addEventListener('online', () => void flush());
onSessionChange(() => void flush());
setInterval(() => {
  if (pending > 0) void flush();
}, 30_000);
void flush();
