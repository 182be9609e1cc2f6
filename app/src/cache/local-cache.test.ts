import "fake-indexeddb/auto";
import { IDBFactory, IDBObjectStore } from "fake-indexeddb";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { deleteDatabase } from "./idb";
import { LocalCache, readGeneration, type CacheProblemKind } from "./local-cache";

// Fault injection at the IndexedDB engine: while `disk.full`, every add/put fails the way
// browsers fail them (the request errors with QuotaExceededError and the transaction aborts).
const disk = { full: false };
type Queued = { operation: () => unknown };
for (const method of ["add", "put"] as const) {
  const original = IDBObjectStore.prototype[method] as (...args: unknown[]) => unknown;
  (IDBObjectStore.prototype as unknown as Record<string, unknown>)[method] = function (this: { transaction: { _requests: Queued[] } }, ...args: unknown[]) {
    const req = original.apply(this, args);
    if (disk.full) {
      this.transaction._requests.at(-1)!.operation = () => {
        throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      };
    }
    return req;
  };
}

let factory: IDBFactory;
const open: LocalCache[] = [];
beforeEach(() => {
  factory = new IDBFactory();
  disk.full = false;
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.destroy()));
});

interface Made {
  cache: LocalCache;
  doc: Y.Doc;
  problems: CacheProblemKind[];
  recovered: number;
  lost: number;
}

function make(name = "junokit/u1/ws/w/conv/c", options: { compactAfter?: number; factory?: IDBFactory } = {}): Made {
  const doc = new Y.Doc();
  const made: Made = { doc, problems: [], recovered: 0, lost: 0, cache: null as unknown as LocalCache };
  made.cache = new LocalCache(name, doc, {
    factory: options.factory ?? factory,
    compactAfter: options.compactAfter ?? 500,
    whenIdle: (run) => {
      const t = setTimeout(run, 0);
      return () => clearTimeout(t);
    },
    onProblem: (kind) => made.problems.push(kind),
    onRecovered: () => made.recovered++,
    onLost: () => made.lost++,
  });
  open.push(made.cache);
  return made;
}

const text = (doc: Y.Doc) => doc.getText("t").toString();
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

async function typeSlowly(made: Made, chars: string): Promise<void> {
  for (const c of chars) {
    made.doc.getText("t").insert(made.doc.getText("t").length, c);
    await tick();
  }
  await made.cache.flush();
}

describe("local cache (OFF-CACHE-1: the device keeps every document, y-indexeddb layout)", () => {
  it("loads what an earlier session wrote, with the same generation and the records kept beside it", async () => {
    const first = make();
    expect(await first.cache.loaded).toBe(true);
    await typeSlowly(first, "hello");
    expect(await first.cache.keep("acked", new Uint8Array([1, 2, 3]))).toBe(true);
    const generation = (await first.cache.records)!.generation;
    await first.cache.destroy();

    const second = make();
    const records = await second.cache.records;
    expect(records).toEqual({ generation, acked: new Uint8Array([1, 2, 3]) });
    expect(await second.cache.loaded).toBe(true);
    expect(text(second.doc)).toBe("hello");
    expect(second.problems).toEqual([]);
  });

  it("applies cached updates with itself as origin, so they are not written again", async () => {
    const first = make();
    await first.cache.loaded;
    await typeSlowly(first, "abc");
    await first.cache.destroy();
    const second = make();
    await second.cache.loaded;
    await second.cache.flush();
    expect(await second.cache.storedUpdates()).toBe(3);
  });

  it("writes updates made before the database opened", async () => {
    const first = make();
    first.doc.getText("t").insert(0, "early");
    await first.cache.loaded;
    await first.cache.destroy();
    const second = make();
    await second.cache.loaded;
    expect(text(second.doc)).toBe("early");
  });
});

describe("acknowledgements with the updates (OFF-ACK-2: server content is never on disk without its acknowledgement)", () => {
  it("stores the acknowledged vector in the same transaction as the updates", async () => {
    let vector = new Uint8Array([1, 7, 3]);
    const doc = new Y.Doc();
    const cache = new LocalCache("junokit/u1/acks", doc, { factory, acknowledged: () => vector });
    open.push(cache);
    await cache.loaded;
    doc.getText("t").insert(0, "from the server");
    await cache.flush();
    vector = new Uint8Array([1, 7, 9]);
    doc.getText("t").insert(0, "more ");
    await cache.flush();
    await cache.destroy();
    const again = make("junokit/u1/acks");
    expect((await again.cache.records)!.acked).toEqual(new Uint8Array([1, 7, 9]));
  });
});

describe("compaction (OFF-CACHE-2: IndexedDB growth stays bounded)", () => {
  it("keeps fewer records than the threshold however many updates are written, and loses nothing", async () => {
    const made = make(undefined, { compactAfter: 40 });
    await made.cache.loaded;
    await typeSlowly(made, "x".repeat(300));
    await made.cache.compact();
    const stored = await made.cache.storedUpdates();
    expect(stored).toBe(1);
    await typeSlowly(made, "y".repeat(30));
    expect(await made.cache.storedUpdates()).toBeLessThan(40);
    await made.cache.destroy();
    const again = make(undefined, { compactAfter: 40 });
    await again.cache.loaded;
    expect(text(again.doc)).toBe("x".repeat(300) + "y".repeat(30));
  });

  it("compacts by itself at y-indexeddb's default threshold of 500", async () => {
    const made = make(undefined, { compactAfter: 500 });
    await made.cache.loaded;
    await typeSlowly(made, "z".repeat(499));
    expect(await made.cache.storedUpdates()).toBe(499);
    await typeSlowly(made, "zz");
    // The compaction runs when idle (here: the next task).
    await tick();
    await made.cache.flush();
    expect(await made.cache.storedUpdates()).toBeLessThanOrEqual(2);
  });

  it("does not drop what another tab stored meanwhile when it compacts", async () => {
    const a = make();
    const b = make();
    await Promise.all([a.cache.loaded, b.cache.loaded]);
    await typeSlowly(a, "from a ");
    b.doc.getMap("m").set("tab", "b");
    await b.cache.flush();
    await a.cache.compact();
    await Promise.all([a.cache.destroy(), b.cache.destroy()]);
    const c = make();
    await c.cache.loaded;
    expect(text(c.doc)).toBe("from a ");
    expect(c.doc.getMap("m").get("tab")).toBe("b");
  });
});

describe("storage failures (OFF-CACHE-3: a full disk or broken IndexedDB is a warning, never a crash)", () => {
  it("reports a full disk, keeps the document working, and mends the log once space is back", async () => {
    const made = make();
    await made.cache.loaded;
    await typeSlowly(made, "ok ");
    disk.full = true;
    await typeSlowly(made, "lost?");
    expect(made.problems).toContain("quota");
    expect(text(made.doc)).toBe("ok lost?");
    expect(await made.cache.keep("acked", new Uint8Array([9]))).toBe(false);

    disk.full = false;
    await typeSlowly(made, "!");
    expect(made.recovered).toBe(1);
    await made.cache.destroy();
    const again = make();
    await again.cache.loaded;
    // The updates that failed are back: the first write after the failure stored the whole state.
    expect(text(again.doc)).toBe("ok lost?!");
  });

  it("fails the compaction cleanly when the disk is full and keeps every stored update", async () => {
    const made = make();
    await made.cache.loaded;
    await typeSlowly(made, "abc");
    disk.full = true;
    await made.cache.compact();
    expect(made.problems).toEqual(["quota"]);
    disk.full = false;
    expect(await made.cache.storedUpdates()).toBe(3);
  });

  it("reports IndexedDB it cannot open and resolves instead of rejecting", async () => {
    const broken = Object.create(factory) as IDBFactory;
    broken.open = () => {
      throw new DOMException("The user denied permission to access the database.", "SecurityError");
    };
    const made = make(undefined, { factory: broken });
    expect(await made.cache.records).toBeNull();
    expect(await made.cache.loaded).toBe(false);
    made.doc.getText("t").insert(0, "memory only");
    await made.cache.flush();
    expect(made.problems).toEqual(["unavailable"]);
    expect(await made.cache.keep("acked", new Uint8Array([1]))).toBe(false);
  });

  it("works with no IndexedDB at all", async () => {
    const doc = new Y.Doc();
    const problems: string[] = [];
    const cache = new LocalCache("x", doc, { factory: null, onProblem: (k) => problems.push(k) });
    expect(await cache.loaded).toBe(false);
    doc.getText("t").insert(0, "memory only");
    await cache.destroy();
    expect(problems).toEqual(["unavailable"]);
  });
});

describe("closing while opening (OFF-CACHE-5: a quick close leaves nothing open)", () => {
  it("closes a database that finishes opening after destroy, so deleting it is not blocked", async () => {
    const made = make();
    await made.cache.destroy();
    const started = Date.now();
    await deleteDatabase(factory, made.cache.name, 10_000);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await made.cache.loaded).toBe(false);
  });
});

describe("another tab deletes the cache (OFF-CACHE-4: resets and sign-outs are not blocked)", () => {
  it("lets go of the database at once, says so, and a new cache gets a new generation", async () => {
    const made = make();
    await made.cache.loaded;
    await typeSlowly(made, "stale");
    const old = (await made.cache.records)!.generation;
    expect(await readGeneration(factory, made.cache.name)).toBe(old);

    // A short blocked-timeout: if our cache did not close on `versionchange`, this would hang.
    const started = Date.now();
    await deleteDatabase(factory, made.cache.name, 10_000);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(made.lost).toBe(1);
    expect(made.cache.usable).toBe(false);
    made.doc.getText("t").insert(0, "not written");
    await made.cache.flush();
    expect(made.problems).toEqual([]);

    const fresh = make();
    await fresh.cache.loaded;
    expect(text(fresh.doc)).toBe("");
    expect((await fresh.cache.records)!.generation).not.toBe(old);
  });
});
