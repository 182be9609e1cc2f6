// Small promise wrappers over IndexedDB. The database layout is y-indexeddb's (an
// auto-increment `updates` store and a `custom` key-value store), so caches written by
// earlier versions of the app keep loading.

export const UPDATES = "updates";
export const CUSTOM = "custom";

/** Resolves with the request's result; rejects with its error (never leaves one unhandled). */
export function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    // Not prevented: a failed request must still abort its transaction.
    req.onerror = () => reject(req.error ?? new DOMException("IndexedDB request failed", "UnknownError"));
  });
}

/** Resolves once the transaction has committed; rejects when it aborts (quota, I/O, close). */
export function committed(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    const fail = () => reject(tx.error ?? new DOMException("IndexedDB transaction aborted", "AbortError"));
    tx.onabort = fail;
  });
}

/** Opens (creating when missing) a database in the cache's layout. */
export function openDatabase(factory: IDBFactory, name: string): Promise<IDBDatabase>;
/** With `create: false`, a database that does not exist is not created (resolves null). */
export function openDatabase(factory: IDBFactory, name: string, options: { create: false }): Promise<IDBDatabase | null>;
export function openDatabase(factory: IDBFactory, name: string, options: { create?: boolean } = {}): Promise<IDBDatabase | null> {
  return new Promise((resolve, reject) => {
    let req: IDBOpenDBRequest;
    try {
      req = factory.open(name);
    } catch (error) {
      reject(error);
      return;
    }
    let refused = false;
    req.onupgradeneeded = (event) => {
      const db = req.result;
      if (options.create === false && event.oldVersion === 0) {
        // Aborting the creation leaves no database behind.
        refused = true;
        req.transaction?.abort();
        return;
      }
      if (!db.objectStoreNames.contains(UPDATES)) db.createObjectStore(UPDATES, { autoIncrement: true });
      if (!db.objectStoreNames.contains(CUSTOM)) db.createObjectStore(CUSTOM);
    };
    req.onsuccess = () => resolve(req.result);
    req.onerror = (event) => {
      event.preventDefault();
      if (refused) resolve(null);
      else reject(req.error ?? new DOMException("IndexedDB could not be opened", "UnknownError"));
    };
    // Another tab holds an old version open; it closes on `versionchange`, then we proceed.
    req.onblocked = () => undefined;
  });
}

/**
 * Deletes a database. Other tabs close theirs on `versionchange`; a tab that doesn't (an old
 * version of the app) would block forever, so after `blockedMs` this resolves anyway and the
 * deletion completes whenever that tab lets go.
 */
export function deleteDatabase(factory: IDBFactory, name: string, blockedMs = 3000): Promise<void> {
  return new Promise((resolve) => {
    let req: IDBOpenDBRequest;
    try {
      req = factory.deleteDatabase(name);
    } catch {
      resolve();
      return;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = () => {
      if (timer) clearTimeout(timer);
      resolve();
    };
    req.onsuccess = done;
    req.onerror = (event) => {
      event.preventDefault();
      done();
    };
    req.onblocked = () => {
      timer ??= setTimeout(done, blockedMs);
    };
  });
}

/** The names of every database of this origin, or null where the browser can't list them. */
export async function databaseNames(factory: IDBFactory): Promise<string[] | null> {
  if (typeof factory.databases !== "function") return null;
  try {
    const all = await factory.databases();
    return all.map((d) => d.name).filter((n): n is string => typeof n === "string");
  } catch {
    return null;
  }
}

/** Storage is full (every browser names it differently). */
export function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: unknown } | null)?.name;
  return name === "QuotaExceededError" || name === "NS_ERROR_DOM_QUOTA_REACHED";
}
