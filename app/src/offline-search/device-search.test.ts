import { IDBFactory, IDBObjectStore } from "fake-indexeddb";
import { appendMessage, conversationDocName, messageList, writeMeta } from "@junokit/doc-model";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { cacheName, deleteDatabase, LocalCache } from "../cache";
import { DeviceSearch, type ConversationRef } from "./device-search";
import { searchDevice, stopDeviceSearch } from "./client";

const USER = "u1";
const WS = "w1";
let factory: IDBFactory;
const caches: LocalCache[] = [];

// Counts full reads of cached copies (getAll on the updates store), to tell re-reads apart.
let fullReads = 0;
const getAll = IDBObjectStore.prototype.getAll;
IDBObjectStore.prototype.getAll = function (this: IDBObjectStore, ...args: Parameters<typeof getAll>) {
  fullReads++;
  return getAll.apply(this, args);
};

beforeEach(() => {
  factory = new IDBFactory();
  fullReads = 0;
});
afterEach(async () => {
  await Promise.all(caches.splice(0).map((c) => c.destroy()));
});

/** A conversation kept on this device the way the app keeps it (LocalCache), still open for more. */
async function cached(id: string, title: string, texts: string[], workspaceId = WS): Promise<{ ref: ConversationRef; doc: Y.Doc; cache: LocalCache }> {
  const docName = conversationDocName(workspaceId, id);
  const doc = new Y.Doc();
  const cache = new LocalCache(cacheName(USER, docName), doc, { factory, whenIdle: () => () => undefined });
  caches.push(cache);
  await cache.loaded;
  writeMeta(doc, { title, createdAt: 1 });
  add(doc, id, texts);
  await cache.flush();
  return { ref: { id, docName, title }, doc, cache };
}

function add(doc: Y.Doc, id: string, texts: string[]): void {
  const start = messageList(doc).length;
  doc.transact(() => {
    texts.forEach((text, i) => appendMessage(doc, { id: `${id}-m${start + i}`, role: "user", authorId: "a1", authorName: "Ann", createdAt: 1000 + start + i, text }));
  });
}

const notCachedRef = (id: string): ConversationRef => ({ id, docName: conversationDocName(WS, id), title: `Never opened ${id}` });
const search = (factoryOverride?: Partial<ConstructorParameters<typeof DeviceSearch>[0]>) => new DeviceSearch({ factory, freshMs: 0, pause: () => Promise.resolve(), ...factoryOverride });

describe("offline search over this device's cached conversations (SRCH-7)", () => {
  it("SRCH-7: finds cached messages with a typo or a word's beginning, with the message to jump to and a highlighted snippet", async () => {
    const launch = await cached("c1", "Launch plan", ["Standup: nothing special", "The kubernetes upgrade is scheduled for Friday."]);
    const device = search();
    const status = await device.refresh({ userId: USER, workspaceId: WS, conversations: [launch.ref] });
    expect(status).toMatchObject({ total: 1, read: 1, searched: 1, notCached: [], leftOut: [], unreadable: [], done: true });
    for (const query of ["kubernets upgrde", "kube sched"]) {
      const [hit, ...rest] = await device.search(query, 20);
      expect(rest).toEqual([]);
      expect(hit).toMatchObject({ conversationId: "c1", docName: launch.ref.docName, title: "Launch plan", kind: "message", messageId: "c1-m1", authorName: "Ann" });
      expect(hit!.snippet).toBe("The kubernetes upgrade is scheduled for Friday.");
      expect(hit!.highlights.map(([a, b]) => hit!.snippet.slice(a, b))).toEqual(query.startsWith("kube ") ? ["kubernetes", "scheduled"] : ["kubernetes", "upgrade"]);
    }
    expect((await device.search("launch", 20)).map((h) => h.kind)).toEqual(["title"]);
  });

  it("SRCH-7: names the conversations not on this device, and never creates a database for them", async () => {
    const kept = await cached("c1", "Kept", ["apples and pears"]);
    const status = await search().refresh({ userId: USER, workspaceId: WS, conversations: [kept.ref, notCachedRef("c2")] });
    expect(status.searched).toBe(1);
    expect(status.notCached.map((c) => c.id)).toEqual(["c2"]);
    const names = (await factory.databases()).map((d) => d.name);
    expect(names).toEqual([cacheName(USER, kept.ref.docName)]);
  });

  it("SRCH-7: reads again only the copies that changed since, and finds what was written meanwhile", async () => {
    const a = await cached("c1", "A", ["first words"]);
    const b = await cached("c2", "B", ["other words"]);
    const device = search();
    const request = { userId: USER, workspaceId: WS, conversations: [a.ref, b.ref] };
    fullReads = 0;
    await device.refresh(request);
    expect(fullReads).toBe(2);
    fullReads = 0;
    add(a.doc, "c1", ["written offline: zeppelin"]);
    await a.cache.flush();
    await device.refresh(request);
    expect(fullReads).toBe(1);
    expect((await device.search("zeppelin", 20)).map((h) => h.messageId)).toEqual(["c1-m1"]);
    // The conversation left the list (deleted): its messages are no longer found.
    await device.refresh({ ...request, conversations: [b.ref] });
    expect(await device.search("zeppelin", 20)).toEqual([]);
  });

  it("SRCH-7: a copy deleted meanwhile (sign-out, reset) is no longer searched", async () => {
    const a = await cached("c1", "A", ["marmalade recipe"]);
    const device = search();
    const request = { userId: USER, workspaceId: WS, conversations: [a.ref] };
    await device.refresh(request);
    expect((await device.search("marmalade", 20)).length).toBe(1);
    await a.cache.destroy();
    await deleteDatabase(factory, cacheName(USER, a.ref.docName));
    const status = await device.refresh(request);
    expect(status.notCached.map((c) => c.id)).toEqual(["c1"]);
    expect(await device.search("marmalade", 20)).toEqual([]);
  });

  it("SRCH-7: keeps memory bounded: beyond the text budget the least recently active conversations are left out, and said so", async () => {
    const recent = await cached("c1", "Recent", ["alpha ".repeat(100)]);
    const older = await cached("c2", "Older", ["alpha beta ".repeat(100)]);
    const device = search({ budgetChars: 800 });
    const status = await device.refresh({ userId: USER, workspaceId: WS, conversations: [recent.ref, older.ref] });
    expect(status.searched).toBe(1);
    expect(status.leftOut.map((c) => c.id)).toEqual(["c2"]);
    expect(device.indexedChars).toBeLessThanOrEqual(800);
    expect((await device.search("alpha", 20)).map((h) => h.conversationId)).toEqual(["c1"]);
  });

  it("SRCH-7: one workspace at a time: another workspace's cached messages are never found", async () => {
    const mine = await cached("c1", "Mine", ["pineapple in w1"]);
    const theirs = await cached("c9", "Theirs", ["pineapple in w2"], "w2");
    const device = search();
    await device.refresh({ userId: USER, workspaceId: "w2", conversations: [theirs.ref] });
    await device.refresh({ userId: USER, workspaceId: WS, conversations: [mine.ref] });
    expect((await device.search("pineapple", 20)).map((h) => h.conversationId)).toEqual(["c1"]);
  });

  it("SRCH-7: reports progress per conversation and answers through the page's client where no worker runs", async () => {
    const a = await cached("c1", "A", ["quartz crystal"]);
    const progress: number[] = [];
    // No Worker in Node: the client runs the same search in this thread, reading the global IndexedDB.
    const global = globalThis as { indexedDB?: IDBFactory };
    const before = global.indexedDB;
    global.indexedDB = factory;
    try {
      const result = await searchDevice({ userId: USER, workspaceId: WS, conversations: [a.ref, notCachedRef("c2")], query: "quarz" }, (s) => progress.push(s.read));
      expect(result.hits.map((h) => h.messageId)).toEqual(["c1-m0"]);
      expect(result.status).toMatchObject({ total: 2, searched: 1, done: true });
      expect(progress).toEqual([0, 1, 2]);
    } finally {
      stopDeviceSearch();
      global.indexedDB = before;
    }
  });
});
