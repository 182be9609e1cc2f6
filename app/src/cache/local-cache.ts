// The device's copy of one Yjs document in IndexedDB (y-indexeddb's layout). Written for
// the failure cases y-indexeddb leaves open: every IndexedDB error (a full disk, private
// mode, a tab deleting the database) is reported through `onProblem`/`onLost` and never
// becomes an unhandled rejection, and the app keeps working from memory and the network.
//
// Growth is bounded: each update is appended, and once `compactAfter` updates have piled up
// the whole state is written as one record and the older ones deleted, in one transaction
// (so two tabs compacting at once cannot lose each other's writes). Small records beside the
// updates hold what the app needs before the document: the cache's generation and the state
// the server has acknowledged.
import * as Y from "yjs";
import { committed, CUSTOM, isQuotaError, openDatabase, request, UPDATES } from "./idb";

/** y-indexeddb's threshold: an unbounded log of small updates would slow every load. */
export const COMPACT_AFTER = 500;

export type CacheProblemKind = "quota" | "unavailable" | "failed";

export interface LocalCacheOptions {
  /** The IndexedDB to use (tests pass fake-indexeddb's); undefined: the browser's; null: none. */
  factory?: IDBFactory | null;
  compactAfter?: number;
  onProblem?(kind: CacheProblemKind, error: unknown): void;
  /** A write succeeded again after failing (space was freed). */
  onRecovered?(): void;
  /** Another tab deleted or upgraded the database (a reset, a sign-out); this cache is closed. */
  onLost?(): void;
  /** Runs between reading the small records and applying the (possibly large) updates. */
  beforeLoad?(records: CacheRecords): Promise<void>;
  /** How compaction waits for a quiet moment; returns a cancel function. */
  whenIdle?(run: () => void): () => void;
  /**
   * The acknowledged state vector to store with each write, in the same transaction: what
   * came from the server is then never on disk without being known as acknowledged.
   */
  acknowledged?(): Uint8Array | null;
}

export interface CacheRecords {
  /** Changes whenever this cache is deleted and created again; tabs only trust their own generation. */
  generation: string;
  /** The server's acknowledged state vector as last recorded, if any. */
  acked: Uint8Array | null;
}

const GENERATION = "generation";
const ACKED = "acked";

export class LocalCache {
  /** Resolves once the small records are read; null when IndexedDB can't be used. */
  readonly records: Promise<CacheRecords | null>;
  /** Resolves true once the cached updates are in the document (false: nothing could be loaded). */
  readonly loaded: Promise<boolean>;

  private readonly factory: IDBFactory | null;
  private readonly compactAfter: number;
  private readonly ready: Promise<IDBDatabase | null>;
  private db: IDBDatabase | null = null;
  private queue: Uint8Array[] = [];
  private writeScheduled = false;
  private chain: Promise<void> = Promise.resolve();
  /** Key after the last record this cache has read or written. */
  private ref = 0;
  private count = 0;
  private failing = false;
  private repairWithFullState = false;
  private cancelCompaction: (() => void) | null = null;
  private gone = false;
  private destroyed = false;

  constructor(
    readonly name: string,
    readonly doc: Y.Doc,
    private readonly options: LocalCacheOptions = {},
  ) {
    this.factory = options.factory !== undefined ? options.factory : typeof indexedDB === "undefined" ? null : indexedDB;
    this.compactAfter = options.compactAfter ?? COMPACT_AFTER;
    this.ready = this.open();
    this.records = this.ready.then((db) => (db ? this.readRecords(db) : null));
    this.loaded = this.records.then((records) => (records ? this.load(records) : false));
    // Only now does the cache listen: see `load`.
    void this.loaded.then(() => {
      if (!this.gone && !this.destroyed) doc.on("update", this.onUpdate);
    });
  }

  /** True while the database is open and usable. */
  get usable(): boolean {
    return this.db !== null && !this.gone;
  }

  /** Stores a small record beside the updates; resolves false (after reporting) on failure. */
  keep(key: "acked", value: Uint8Array): Promise<boolean> {
    let kept = false;
    // In the write queue, so `destroy` waits for it and it never races the closing database.
    return this.enqueue(async () => {
      const db = await this.ready;
      if (!db || this.gone) return;
      try {
        const tx = db.transaction([CUSTOM], "readwrite");
        tx.objectStore(CUSTOM).put(value, key === "acked" ? ACKED : key);
        await committed(tx);
        kept = true;
      } catch (error) {
        this.fail(error);
      }
    }).then(() => kept);
  }

  /** Writes the whole state as one record and deletes the rest (also runs by itself). */
  compact(): Promise<void> {
    this.cancelCompaction?.();
    this.cancelCompaction = null;
    return this.enqueue(() => this.compactNow());
  }

  /** Resolves once every update seen so far is written (or has failed). */
  async flush(): Promise<void> {
    await Promise.resolve();
    await this.chain;
  }

  /** Number of update records stored (tests and diagnostics). */
  async storedUpdates(): Promise<number> {
    const db = await this.ready;
    if (!db || this.gone) return 0;
    try {
      return await request(db.transaction([UPDATES], "readonly").objectStore(UPDATES).count());
    } catch {
      return 0;
    }
  }

  /** Stops listening, finishes queued writes and closes the database. */
  async destroy(): Promise<void> {
    this.destroyed = true;
    this.doc.off("update", this.onUpdate);
    this.cancelCompaction?.();
    this.cancelCompaction = null;
    await this.flush();
    this.gone = true;
    this.db?.close();
    // Still opening: `open` closes it as soon as it is there; wait for that.
    await this.ready;
  }

  private readonly onUpdate = (update: Uint8Array, origin: unknown): void => {
    if (origin === this || this.gone) return;
    this.queue.push(update);
    if (this.writeScheduled) return;
    this.writeScheduled = true;
    // Updates of one task (a streaming reply's burst, a pasted text) share one transaction.
    queueMicrotask(() => {
      this.writeScheduled = false;
      void this.enqueue(() => this.writeQueued());
    });
  };

  private enqueue(step: () => Promise<void>): Promise<void> {
    this.chain = this.chain.then(step, step);
    return this.chain;
  }

  private async open(): Promise<IDBDatabase | null> {
    if (!this.factory) {
      this.options.onProblem?.("unavailable", new Error("IndexedDB is not available"));
      return null;
    }
    try {
      const db = await openDatabase(this.factory, this.name);
      // Destroyed while opening (a quick navigation, a sign-out): let go, or a deletion would wait.
      if (this.gone || this.destroyed) {
        db.close();
        return null;
      }
      // Another tab wants to delete or upgrade it: let go at once so it isn't blocked.
      db.onversionchange = () => this.lose();
      db.onclose = () => this.lose();
      this.db = db;
      return db;
    } catch (error) {
      this.options.onProblem?.("unavailable", error);
      return null;
    }
  }

  private async readRecords(db: IDBDatabase): Promise<CacheRecords | null> {
    try {
      const store = db.transaction([CUSTOM], "readonly").objectStore(CUSTOM);
      const [generation, acked] = await Promise.all([request(store.get(GENERATION)), request(store.get(ACKED))]);
      const records: CacheRecords = {
        generation: typeof generation === "string" ? generation : newGeneration(),
        acked: acked instanceof Uint8Array ? acked : null,
      };
      if (records.generation !== generation) await this.putGeneration(db, records.generation);
      return records;
    } catch (error) {
      this.fail(error);
      return null;
    }
  }

  private async putGeneration(db: IDBDatabase, generation: string): Promise<void> {
    try {
      const tx = db.transaction([CUSTOM], "readwrite");
      tx.objectStore(CUSTOM).put(generation, GENERATION);
      await committed(tx);
    } catch (error) {
      this.fail(error);
    }
  }

  private async load(records: CacheRecords): Promise<boolean> {
    await this.options.beforeLoad?.(records);
    const db = this.db;
    if (!db || this.gone) return false;
    try {
      const store = db.transaction([UPDATES], "readonly").objectStore(UPDATES);
      const [updates, keys] = await Promise.all([request(store.getAll()), request(store.getAllKeys())]);
      if (this.gone) return false;
      // Anything that reached the document before the cache was read (the network went first
      // because the disk was slow) is not in the cache yet: keep it with the next write.
      const early = Y.encodeStateVector(this.doc).length > 1;
      // No "update" listener of ours exists yet, so Yjs does not re-encode this (possibly
      // megabytes large) transaction just to tell us about it.
      this.doc.transact(() => {
        for (const update of updates) if (update instanceof Uint8Array) Y.applyUpdate(this.doc, update, this);
      }, this);
      if (early) {
        this.queue.push(Y.encodeStateAsUpdate(this.doc));
        void this.enqueue(() => this.writeQueued());
      }
      this.ref = keys.length > 0 ? Number(keys[keys.length - 1]) + 1 : 0;
      this.count = keys.length;
      if (this.count >= this.compactAfter) this.scheduleCompaction();
      return true;
    } catch (error) {
      this.fail(error);
      return false;
    }
  }

  private async writeQueued(): Promise<void> {
    const db = await this.ready;
    const batch = this.queue.splice(0);
    if (!db || this.gone || batch.length === 0) return;
    // After a failed write the log has a hole; the full state mends it.
    const records = this.repairWithFullState ? [Y.encodeStateAsUpdate(this.doc)] : batch;
    try {
      const acknowledged = this.options.acknowledged?.() ?? null;
      const tx = db.transaction(acknowledged ? [UPDATES, CUSTOM] : [UPDATES], "readwrite");
      const store = tx.objectStore(UPDATES);
      for (const update of records) store.add(update);
      if (acknowledged) tx.objectStore(CUSTOM).put(acknowledged, ACKED);
      await committed(tx);
      this.count += records.length;
      this.repairWithFullState = false;
      this.recovered();
      if (this.count >= this.compactAfter) this.scheduleCompaction();
    } catch (error) {
      this.repairWithFullState = true;
      this.fail(error);
    }
  }

  private async compactNow(): Promise<void> {
    const db = this.db;
    if (!db || this.gone) return;
    try {
      const tx = db.transaction([UPDATES], "readwrite");
      const store = tx.objectStore(UPDATES);
      // Updates other tabs stored since we loaded must be in the state we write.
      const fresh = await request(store.getAll(IDBKeyRange.lowerBound(this.ref)));
      this.doc.transact(() => {
        for (const update of fresh) if (update instanceof Uint8Array) Y.applyUpdate(this.doc, update, this);
      }, this);
      const key = Number(await request(store.add(Y.encodeStateAsUpdate(this.doc))));
      await request(store.delete(IDBKeyRange.upperBound(key, true)));
      await committed(tx);
      this.ref = key + 1;
      this.count = 1;
      this.repairWithFullState = false;
      this.recovered();
    } catch (error) {
      this.fail(error);
    }
  }

  private scheduleCompaction(): void {
    if (this.cancelCompaction || this.gone) return;
    const whenIdle = this.options.whenIdle ?? defaultWhenIdle;
    this.cancelCompaction = whenIdle(() => {
      this.cancelCompaction = null;
      void this.enqueue(() => this.compactNow());
    });
  }

  private fail(error: unknown): void {
    if (this.gone) return;
    this.failing = true;
    this.options.onProblem?.(isQuotaError(error) ? "quota" : "failed", error);
  }

  private recovered(): void {
    if (!this.failing) return;
    this.failing = false;
    this.options.onRecovered?.();
  }

  private lose(): void {
    if (this.gone) return;
    this.gone = true;
    this.queue = [];
    this.cancelCompaction?.();
    this.cancelCompaction = null;
    this.db?.close();
    this.options.onLost?.();
  }
}

/** Reads the generation a cache currently has (null: none, or IndexedDB unusable). */
export async function readGeneration(factory: IDBFactory | null, name: string): Promise<string | null> {
  if (!factory) return null;
  let db: IDBDatabase | null = null;
  try {
    db = await openDatabase(factory, name);
    const value = await request(db.transaction([CUSTOM], "readonly").objectStore(CUSTOM).get(GENERATION));
    return typeof value === "string" ? value : null;
  } catch {
    return null;
  } finally {
    db?.close();
  }
}

function newGeneration(): string {
  return typeof crypto !== "undefined" && "randomUUID" in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;
}

function defaultWhenIdle(run: () => void): () => void {
  // A second after the last write, then in idle time: compaction encodes the whole document.
  let idle: number | null = null;
  const timer = setTimeout(() => {
    if (typeof requestIdleCallback === "function") idle = requestIdleCallback(run, { timeout: 5000 });
    else run();
  }, 1000);
  return () => {
    clearTimeout(timer);
    if (idle !== null) cancelIdleCallback(idle);
  };
}
