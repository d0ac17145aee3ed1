/**
 * A tiny IndexedDB helper: one database per feature, promise-wrapped requests. Falls back to an
 * in-memory map when IndexedDB is unavailable (some private modes) — the data then lasts the page.
 */
export interface Store<T> {
  put(value: T): Promise<void>;
  all(): Promise<T[]>;
  delete(keys: string[]): Promise<void>;
}

const wrap = <R>(req: IDBRequest<R>) =>
  new Promise<R>((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error);
  });

const done = (tx: IDBTransaction) =>
  new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });

export function openStore<T>(dbName: string, storeName: string, keyPath: string): Store<T> {
  let db: Promise<IDBDatabase | null> | null = null;
  const memory = new Map<string, T>();
  const open = () => {
    db ??= new Promise<IDBDatabase | null>((resolve) => {
      try {
        const req = indexedDB.open(dbName, 1);
        req.onupgradeneeded = () => {
          if (!req.result.objectStoreNames.contains(storeName)) req.result.createObjectStore(storeName, { keyPath });
        };
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => resolve(null);
        req.onblocked = () => resolve(null);
      } catch {
        resolve(null);
      }
    });
    return db;
  };
  return {
    async put(value) {
      const d = await open();
      if (!d) {
        memory.set(String((value as Record<string, unknown>)[keyPath]), value);
        return;
      }
      const tx = d.transaction(storeName, 'readwrite');
      tx.objectStore(storeName).put(value);
      await done(tx);
    },
    async all() {
      const d = await open();
      if (!d) return [...memory.values()];
      return wrap(d.transaction(storeName, 'readonly').objectStore(storeName).getAll() as IDBRequest<T[]>);
    },
    async delete(keys) {
      const d = await open();
      if (!d) {
        for (const k of keys) memory.delete(k);
        return;
      }
      const tx = d.transaction(storeName, 'readwrite');
      const s = tx.objectStore(storeName);
      for (const k of keys) s.delete(k);
      await done(tx);
    },
  };
}
