/**
 * What the sync indicator shows: online or not, and how many progress events (or attendance marks)
 * wait on this device. The offline queues report here; the shell listens.
 */
export interface SyncState {
  online: boolean;
  pending: number;
  syncing: boolean;
}

let state: SyncState = { online: navigator.onLine, pending: 0, syncing: false };
const listeners = new Set<(s: SyncState) => void>();

export function syncState(): SyncState {
  return state;
}

export function updateSync(patch: Partial<SyncState>): void {
  state = { ...state, ...patch };
  for (const fn of listeners) fn(state);
}

const pendingBySource = new Map<string, number>();

/**
 * Each offline queue (learner progress, attendance marks…) reports its own count; the indicator
 * shows the sum.
 */
export function setPending(source: string, count: number): void {
  pendingBySource.set(source, count);
  updateSync({ pending: [...pendingBySource.values()].reduce((a, b) => a + b, 0) });
}

export function onSyncChange(fn: (s: SyncState) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

window.addEventListener('online', () => updateSync({ online: true }));
window.addEventListener('offline', () => updateSync({ online: false }));
