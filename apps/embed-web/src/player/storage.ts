/**
 * sessionStorage, with an in-memory stand-in when the browser refuses storage to a third-party frame.
 * Same-origin frames of one tab share it (and get `storage` events), so two Hocso frames on one
 * integrator page share one session and one progress queue.
 */
const memory = new Map<string, string>();

function storage(): Storage | null {
  try {
    return window.sessionStorage;
  } catch {
    return null;
  }
}

export function getItem(key: string): string | null {
  try {
    return storage()?.getItem(key) ?? memory.get(key) ?? null;
  } catch {
    return memory.get(key) ?? null;
  }
}

export function setItem(key: string, value: string): void {
  try {
    const s = storage();
    if (s) {
      s.setItem(key, value);
      return;
    }
  } catch {
    // quota or blocked: keep it for this page at least
  }
  memory.set(key, value);
}

export function removeItem(key: string): void {
  memory.delete(key);
  try {
    storage()?.removeItem(key);
  } catch {
    // nothing stored
  }
}

export function readJson<T>(key: string): T | null {
  const raw = getItem(key);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return null;
  }
}
