// LevelDB store: the shared storage contract, plus what only LevelDB shows (its keys on disk,
// background compaction, a writer process killed mid-compaction).
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { findMessage, messageText, notesFragment } from "@junokit/doc-model";
import { ClassicLevel } from "classic-level";
import { afterEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { createLogger } from "../log";
import { sublevelsOf } from "./level-layout";
import { levelStoreOn, openLevelStore, type LevelStoreOptions } from "./level-store";
import { describeStoreContract } from "./store.contract";
import type { Store } from "./types";

describeStoreContract("LevelDB", async () => {
  const dir = await mkdtemp(join(tmpdir(), "junokit-level-"));
  let store = await openLevelStore(dir);
  return {
    store,
    reopen: async () => {
      await store.close();
      return (store = await openLevelStore(dir));
    },
    cleanup: async () => {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});

describe("LevelDB store", () => {
  const dirs: string[] = [];
  const open: Store[] = [];
  afterEach(async () => {
    for (const store of open.splice(0)) await store.close();
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });

  async function freshDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), "junokit-level-"));
    dirs.push(dir);
    return dir;
  }

  async function openAt(dir: string, opts?: LevelStoreOptions): Promise<Store> {
    const store = await openLevelStore(dir, opts);
    open.push(store);
    return store;
  }

  it("STO-2 the sequence counter continues after a restart (keys 0…4 on disk, in order)", async () => {
    const dir = await freshDir();
    const first = await openLevelStore(dir);
    for (const n of [0, 1, 2]) await first.appendUpdate("doc", new Uint8Array([n]));
    await first.close();
    const second = await openLevelStore(dir);
    for (const n of [3, 4]) await second.appendUpdate("doc", new Uint8Array([n]));
    await second.close();

    const db = new ClassicLevel<string, Uint8Array>(dir, { valueEncoding: "view" });
    const rows = await sublevelsOf(db).documents.iterator().all();
    await db.close();
    expect(rows.map(([key, value]) => [key.split("\u0000"), Array.from(value)])).toEqual(
      [0, 1, 2, 3, 4].map((n) => [["doc", String(n).padStart(16, "0")], [n]]),
    );
  });

  it("STO-3 compaction replaces the log with one atomic batch: N-1 deletes and one put", async () => {
    const db = new ClassicLevel<string, Uint8Array>(await freshDir(), { valueEncoding: "view" });
    const store = levelStoreOn(db);
    open.push(store);
    for (let i = 0; i < 10; i++) await store.appendUpdate("doc", Y.encodeStateAsUpdate(docWithText(`v${i}`)));
    const writes: { type: string }[][] = [];
    db.on("write", (operations: { type: string }[]) => writes.push(operations));
    await store.compactDocument("doc");
    expect(writes.map((ops) => ops.map((op) => op.type).sort())).toEqual([[...Array(9).fill("del"), "put"]]);
  });

  it("STO-4 compacts in the background after `compactAfter` appends, racing appends included", async () => {
    const store = await openAt(await freshDir(), { compactAfter: 10 });
    const writer = new Y.Doc();
    const updates: Uint8Array[] = [];
    writer.on("update", (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 200; i++) notesFragment(writer).insert(0, [new Y.XmlText(`line ${i}`)]);
    await Promise.all(updates.map((u) => store.appendUpdate("doc", u)));
    const log = await store.loadDocument("doc");
    expect(log.length).toBeLessThanOrEqual(10);
    expect(Y.encodeStateAsUpdate(rebuild(log))).toEqual(Y.encodeStateAsUpdate(writer));
  });

  it("STO-10 close waits for a queued background compaction", async () => {
    const dir = await freshDir();
    const first = await openLevelStore(dir, { compactAfter: 10 });
    for (let i = 0; i < 10; i++) await first.appendUpdate("doc", Y.encodeStateAsUpdate(docWithText(`v${i}`)));
    await first.close();
    const second = await openAt(dir);
    expect(await second.loadDocument("doc")).toHaveLength(1);
  });

  it("STO-4 a failed background compaction is logged, keeps the log and is retried", async () => {
    const logs = new LogLines();
    const store = await openAt(await freshDir(), { compactAfter: 4, logger: createLogger("info", logs) });
    const log = [new Uint8Array([1, 2, 3]), ...["a", "b", "c"].map((t) => Y.encodeStateAsUpdate(docWithText(t)))];
    for (const u of log) await store.appendUpdate("doc", u);
    expect(await logs.next()).toMatchObject({ level: 50, document: "doc", msg: expect.stringContaining("compaction failed") });
    expect((await store.loadDocument("doc")).map((u) => Array.from(u))).toEqual(log.map((u) => Array.from(u)));
    await store.appendUpdate("doc", new Uint8Array([4])); // retried after compactAfter / 10 more appends
    expect(await logs.next()).toMatchObject({ level: 50, document: "doc" });
    expect(await store.loadDocument("doc")).toHaveLength(5);
  });

  it("STO-3 a writer killed at random moments, compacting every 20 appends, loses no acknowledged edit", async () => {
    const dir = await freshDir();
    let acknowledged = -1;
    for (const stopAfter of [150, 400, 700, 1000]) {
      acknowledged = await runWriterUntilKilled(dir, stopAfter + Math.floor(Math.random() * 100));
      const store = await openLevelStore(dir);
      const doc = rebuild(await store.loadDocument("doc"));
      await store.close();
      expect(doc.store.pendingStructs).toBeNull();
      const numbers = messageText(findMessage(doc, "m1")!).toString().split(",").slice(0, -1).map(Number);
      expect(numbers).toEqual(numbers.map((_, i) => i));
      expect(numbers.length).toBeGreaterThan(acknowledged);
    }
  });
});

/** Runs the crash writer on `dir` and SIGKILLs it once it acknowledged edit `stopAfter`. */
async function runWriterUntilKilled(dir: string, stopAfter: number): Promise<number> {
  const script = join(import.meta.dirname, "level-store.crash-writer.ts");
  const child = spawn(process.execPath, ["--import", "tsx", script, dir, "20"], { stdio: ["ignore", "pipe", "inherit"] });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  let last = -1;
  for await (const line of createInterface({ input: child.stdout })) {
    last = Number(line);
    if (last >= stopAfter) {
      child.kill("SIGKILL");
      break;
    }
  }
  await exited;
  if (last < stopAfter) throw new Error(`crash writer stopped early at ${last}`);
  return last;
}

function rebuild(log: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const update of log) Y.applyUpdate(doc, update);
  return doc;
}

function docWithText(text: string): Y.Doc {
  const doc = new Y.Doc();
  notesFragment(doc).insert(0, [new Y.XmlText(text)]);
  return doc;
}

/** A log destination whose JSON lines can be awaited one by one. */
class LogLines extends Writable {
  private readonly lines: unknown[] = [];
  private waiting: ((line: unknown) => void) | undefined;

  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    for (const line of chunk.toString().split("\n").filter(Boolean)) this.lines.push(JSON.parse(line));
    this.flush();
    done();
  }

  next(): Promise<unknown> {
    return new Promise((resolve) => {
      this.waiting = resolve;
      this.flush();
    });
  }

  private flush(): void {
    const line = this.lines.shift();
    if (line === undefined) return;
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = undefined;
      resolve(line);
    } else this.lines.unshift(line);
  }
}
