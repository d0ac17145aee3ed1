import { ApiError, OfflineError, request } from '../api';
import { setPending, updateSync } from './sync-state';

/**
 * Attendance taken on a phone in a village hall, kept on the device until it reaches the server.
 * One batch per session (cohort + session): saving again merges the new marks over the waiting
 * ones (the PUT is an upsert by session + member, so replaying a batch changes nothing and needs no
 * Idempotency-Key). Batches are sent when the connection returns (the `online` event, page start,
 * or a save). A batch the server refuses (4xx) stays on the device with the error, not retried,
 * until the trainer saves it again. The roster of a session is kept too, so the page opens offline.
 */
export type AttendanceStatus = 'present' | 'late' | 'absent';

export interface AttendanceMark {
  userId: string;
  status: AttendanceStatus;
  minutes?: number;
}

export interface PendingBatch {
  /** `${cohortId}/${sessionId}` */
  key: string;
  cohortId: string;
  sessionId: string;
  records: AttendanceMark[];
  savedAt: string;
  /** the server refused it: shown to the trainer, not retried until saved again */
  error?: { status: number; code: string; message: string; fields: Array<{ field: string; message: string }> };
}

/** What the attendance page needs to open without a connection. */
export interface SessionSnapshot {
  key: string;
  cohortTitle: string;
  session: {
    id: string;
    startsAt: string | null;
    durationMinutes: number;
    title: string | null;
    location: string | null;
  };
  members: Array<{ userId: string; fullName: string; status: AttendanceStatus | null; minutes: number }>;
  savedAt: string;
}

const DB_NAME = 'hocso-attendance';
const BATCHES = 'batches';
const SNAPSHOTS = 'snapshots';

let dbPromise: Promise<IDBDatabase> | null = null;

function db(): Promise<IDBDatabase> {
  dbPromise ??= new Promise((resolve, reject) => {
    const open = indexedDB.open(DB_NAME, 1);
    open.onupgradeneeded = () => {
      const d = open.result;
      if (!d.objectStoreNames.contains(BATCHES)) d.createObjectStore(BATCHES, { keyPath: 'key' });
      if (!d.objectStoreNames.contains(SNAPSHOTS)) d.createObjectStore(SNAPSHOTS, { keyPath: 'key' });
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => {
      dbPromise = null;
      reject(open.error);
    };
  });
  return dbPromise;
}

function tx<T>(store: string, mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return db().then(
    (d) =>
      new Promise<T>((resolve, reject) => {
        const t = d.transaction(store, mode);
        const req = fn(t.objectStore(store));
        t.oncomplete = () => resolve(req.result);
        t.onerror = () => reject(t.error);
        t.onabort = () => reject(t.error);
      }),
  );
}

export const sessionKey = (cohortId: string, sessionId: string) => `${cohortId}/${sessionId}`;

// ---- sync indicator: this queue's marks are one source of the header's pending count -----------
let mine = 0;

function report(patch: { syncing?: boolean } = {}): void {
  setPending('attendance', mine);
  if (patch.syncing !== undefined) updateSync({ syncing: patch.syncing });
}

// ---- change listeners (the attendance page re-reads its batch) --------------------------------
const listeners = new Set<() => void>();

export function onAttendanceQueueChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

async function changed(): Promise<void> {
  try {
    const all = await tx<PendingBatch[]>(BATCHES, 'readonly', (s) => s.getAll() as IDBRequest<PendingBatch[]>);
    mine = all.reduce((n, b) => n + b.records.length, 0);
  } catch {
    mine = 0;
  }
  report();
  for (const fn of listeners) fn();
}

/** The marks of a session still waiting on this device (null: none). */
export async function pendingBatch(cohortId: string, sessionId: string): Promise<PendingBatch | null> {
  try {
    const found = await tx<PendingBatch | undefined>(
      BATCHES,
      'readonly',
      (s) => s.get(sessionKey(cohortId, sessionId)) as IDBRequest<PendingBatch | undefined>,
    );
    return found ?? null;
  } catch {
    return null;
  }
}

/**
 * Keeps the marks on the device (merged over waiting ones of the same session), then tries to send
 * them. Resolves to 'sent' when the server has them, 'queued' when they wait for the connection,
 * or throws the ApiError the server answered.
 */
export async function saveAttendance(
  cohortId: string,
  sessionId: string,
  records: AttendanceMark[],
): Promise<'sent' | 'queued'> {
  const key = sessionKey(cohortId, sessionId);
  const earlier = await pendingBatch(cohortId, sessionId);
  const merged = new Map<string, AttendanceMark>();
  for (const r of earlier?.records ?? []) merged.set(r.userId, r);
  for (const r of records) merged.set(r.userId, r);
  const batch: PendingBatch = {
    key,
    cohortId,
    sessionId,
    records: [...merged.values()],
    savedAt: new Date().toISOString(),
  };
  await tx(BATCHES, 'readwrite', (s) => s.put(batch));
  await changed();
  const outcome = await send(batch);
  if (outcome instanceof ApiError) throw outcome;
  return outcome;
}

let flushing: Promise<void> | null = null;

/** Sends every waiting batch (not those the server refused). */
export function flushAttendance(): Promise<void> {
  flushing ??= (async () => {
    try {
      const all = await tx<PendingBatch[]>(BATCHES, 'readonly', (s) => s.getAll() as IDBRequest<PendingBatch[]>);
      for (const batch of all) {
        if (batch.error) continue;
        const outcome = await send(batch);
        if (outcome === 'queued') break;
      }
    } catch {
      // IndexedDB unavailable: nothing waits
    } finally {
      flushing = null;
    }
  })();
  return flushing;
}

async function send(batch: PendingBatch): Promise<'sent' | 'queued' | ApiError> {
  if (!navigator.onLine) return 'queued';
  report({ syncing: true });
  try {
    await request('PUT', `/v1/cohorts/${batch.cohortId}/sessions/${batch.sessionId}/attendance`, {
      body: { records: batch.records },
    });
    // only delete what was sent: a newer save of the same session keeps waiting
    const now = await pendingBatch(batch.cohortId, batch.sessionId);
    if (now && now.savedAt === batch.savedAt) await tx(BATCHES, 'readwrite', (s) => s.delete(batch.key));
    return 'sent';
  } catch (err) {
    if (err instanceof OfflineError) return 'queued';
    if (err instanceof ApiError && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429) {
      const failed: PendingBatch = {
        ...batch,
        error: { status: err.status, code: err.code, message: err.message, fields: err.errors },
      };
      await tx(BATCHES, 'readwrite', (s) => s.put(failed));
      return err;
    }
    return 'queued';
  } finally {
    updateSync({ syncing: false });
    await changed();
  }
}

/** Drops the waiting marks of a session (the trainer discards them). */
export async function discardAttendance(cohortId: string, sessionId: string): Promise<void> {
  await tx(BATCHES, 'readwrite', (s) => s.delete(sessionKey(cohortId, sessionId)));
  await changed();
}

export async function saveSnapshot(snapshot: Omit<SessionSnapshot, 'savedAt'>): Promise<void> {
  try {
    await tx(SNAPSHOTS, 'readwrite', (s) => s.put({ ...snapshot, savedAt: new Date().toISOString() }));
  } catch {
    // not kept: the page needs the connection next time
  }
}

export async function loadSnapshot(cohortId: string, sessionId: string): Promise<SessionSnapshot | null> {
  try {
    const found = await tx<SessionSnapshot | undefined>(
      SNAPSHOTS,
      'readonly',
      (s) => s.get(sessionKey(cohortId, sessionId)) as IDBRequest<SessionSnapshot | undefined>,
    );
    return found ?? null;
  } catch {
    return null;
  }
}

let started = false;

/** Counts what waits and sends it now and whenever the connection returns (idempotent). */
export function startAttendanceSync(): void {
  if (started || typeof indexedDB === 'undefined') return;
  started = true;
  window.addEventListener('online', () => void flushAttendance());
  void changed().then(() => flushAttendance());
}
