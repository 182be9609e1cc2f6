import { appendMessage, findMessage, messageText, writeNotesJson } from "@junokit/doc-model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, api, connect, startTestServer, workspaceWithConversation, type TestServer } from "../support/server";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.close());

let counter = 0;
/** Writes messages into a conversation as the server would (the AI peer, an import). */
async function say(server: TestServer, docName: string, ...texts: string[]): Promise<string[]> {
  const ids = texts.map(() => `m${++counter}`);
  await server.server.collab.writer.change(docName, (doc) => {
    texts.forEach((text, i) => appendMessage(doc, { id: ids[i]!, role: "user", authorId: "u", authorName: "Ann", createdAt: Date.now(), text }));
  });
  return ids;
}

async function newConversation(server: TestServer, token: string, workspaceId: string, title: string): Promise<string> {
  const res = await api(server.url, `/api/workspaces/${workspaceId}/conversations`, { token, body: { title } });
  return res.body.docName;
}

function search(server: TestServer, token: string, workspaceId: string, q: string, limit?: number) {
  const qs = new URLSearchParams({ q, ...(limit ? { limit: String(limit) } : {}) });
  return api(server.url, `/api/workspaces/${workspaceId}/search?${qs}`, { token });
}

const highlighted = (hit: { snippet: string; highlights: [number, number][] }) => hit.highlights.map(([a, b]) => hit.snippet.slice(a, b).toLowerCase());

describe("search (SPEC SRCH-*)", () => {
  it("SRCH-1 ranks focused messages first and returns snippets with highlighted words and the message to jump to", async () => {
    const { owner, workspaceId, docName, conversationId } = await workspaceWithConversation(t.url);
    const filler = "we talked about lunch, the weather and the office plants for a long while ".repeat(20);
    const [long, focused, other] = await say(t, docName,
      `${filler} and then someone said the word kubernetes`,
      "Kubernetes upgrade plan: drain kubernetes nodes first",
      "nothing relevant here",
    );
    const res = await search(t, owner.token, workspaceId, "kubernetes");
    expect(res.status).toBe(200);
    const hits = res.body.hits;
    expect(hits.map((h: any) => h.messageId)).toEqual([focused, long]);
    expect(hits.map((h: any) => h.messageId)).not.toContain(other);
    expect(hits[0]).toMatchObject({ conversationId, docName, title: "Launch", kind: "message", authorName: "Ann" });
    expect(hits[0].score).toBeGreaterThan(hits[1].score);
    expect(highlighted(hits[0])).toEqual(["kubernetes", "kubernetes"]);
    // The long message is cut around its match, not shown from its start.
    expect(hits[1].snippet.startsWith("…")).toBe(true);
    expect(hits[1].snippet.length).toBeLessThanOrEqual(170);
    expect(highlighted(hits[1])).toEqual(["kubernetes"]);
  });

  it("SRCH-1 finds words by prefix and despite a typo, in notes and titles too", async () => {
    const { owner, workspaceId, docName } = await workspaceWithConversation(t.url);
    const [migration] = await say(t, docName, "The database migration finished overnight");
    await t.server.collab.writer.change(docName, (doc) =>
      writeNotesJson(doc, { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Checklist: rotate the certificates" }] }] }),
    );
    const titled = await newConversation(t, owner.token, workspaceId, "Quarterly roadmap");

    expect((await search(t, owner.token, workspaceId, "migr")).body.hits.map((h: any) => h.messageId)).toEqual([migration]);
    expect((await search(t, owner.token, workspaceId, "databse migraton")).body.hits.map((h: any) => h.messageId)).toEqual([migration]);
    const notes = (await search(t, owner.token, workspaceId, "certificates")).body.hits;
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: "notes", docName });
    expect(notes[0].messageId).toBeUndefined();
    const title = (await search(t, owner.token, workspaceId, "roadmap")).body.hits;
    expect(title.map((h: any) => [h.kind, h.docName])).toEqual([["title", titled]]);
  });

  it("SRCH-4 searches only workspaces the caller belongs to", async () => {
    const a = await workspaceWithConversation(t.url);
    const b = await workspaceWithConversation(t.url);
    await say(t, b.docName, "the secret pineapple recipe");
    expect((await search(t, a.owner.token, a.workspaceId, "pineapple")).body.hits).toEqual([]);
    const foreign = await search(t, a.owner.token, b.workspaceId, "pineapple");
    expect(foreign.status).toBe(404);
    expect(foreign.body.hits).toBeUndefined();
    const viewer = await addMember(t.url, b.owner, b.workspaceId, "viewer");
    expect((await search(t, viewer.token, b.workspaceId, "pineapple")).body.hits).toHaveLength(1);
    expect((await api(t.url, `/api/workspaces/${b.workspaceId}/search?q=pineapple`)).status).toBe(401);
  });

  it("SRCH-2 a person's new message and an edit of an old one are searchable as soon as the server has them", async () => {
    const { owner, workspaceId, docName } = await workspaceWithConversation(t.url);
    const peer = connect(t.wsUrl, docName, owner.token);
    try {
      await peer.synced;
      appendMessage(peer.doc, { id: "live1", role: "user", authorId: owner.user.id, authorName: "x", createdAt: Date.now(), text: "first draft about zeppelins" });
      await peer.acknowledged();
      expect((await search(t, owner.token, workspaceId, "zeppelins")).body.hits.map((h: any) => h.messageId)).toEqual(["live1"]);
      // An edit keeps the message's time, so only the live document can tell the index.
      const text = messageText(findMessage(peer.doc, "live1")!);
      peer.doc.transact(() => {
        text.delete(0, text.length);
        text.insert(0, "final version about airships");
      });
      await peer.acknowledged();
      const started = Date.now();
      const hits = (await search(t, owner.token, workspaceId, "airships")).body.hits;
      expect(hits.map((h: any) => h.messageId)).toEqual(["live1"]);
      expect(Date.now() - started).toBeLessThan(2000);
      expect((await search(t, owner.token, workspaceId, "zeppelins")).body.hits).toEqual([]);
    } finally {
      peer.destroy();
    }
  });

  it("SRCH-2 indexes a change on its own within a second or two, without a search asking", async () => {
    const { owner, workspaceId, docName } = await workspaceWithConversation(t.url);
    await search(t, owner.token, workspaceId, "warmup");
    const peer = connect(t.wsUrl, docName, owner.token);
    try {
      await peer.synced;
      const started = Date.now();
      appendMessage(peer.doc, { id: "solo", role: "user", authorId: owner.user.id, authorName: "x", createdAt: Date.now(), text: "quokka sighting" });
      await peer.acknowledged();
      while ((await t.server.search.index.search(workspaceId, "quokka", 5)).length === 0) {
        expect(Date.now() - started).toBeLessThan(2000);
        await new Promise((r) => setTimeout(r, 25));
      }
    } finally {
      peer.destroy();
    }
  });
});

describe("search survives a restart (SPEC SRCH-3)", () => {
  it("SRCH-3 rebuilds the index from the store after a restart", async () => {
    const first = await startTestServer();
    const { owner, workspaceId, docName } = await workspaceWithConversation(first.url);
    const [id] = await say(first, docName, "remember the narwhal");
    await first.close({ keepData: true });
    const second = await startTestServer({ dataDir: first.dataDir });
    try {
      const hits = (await search(second, owner.token, workspaceId, "narwhal")).body.hits;
      expect(hits.map((h: any) => h.messageId)).toEqual([id]);
    } finally {
      await second.close();
    }
  });
});

describe("hostile queries (SPEC SRCH-5)", () => {
  it.each([
    ["regex-like", ".*(a+)+$ [^x]{1,99999} \\d+?"],
    ["SQL-like", "'; DROP TABLE users; -- \" OR 1=1"],
    ["NUL and control characters", "abc\u0000def\u0001\u007f"],
    ["only punctuation", "%%% ((( ))) *** ???"],
    ["many words", Array.from({ length: 60 }, (_, i) => `w${i}`).join(" ")],
    ["one long word", "x".repeat(250)],
    ["short prefixes", "a b c d e f g h i j k l"],
    ["emoji and scripts", "🙂 日本語 кириллица العربية"],
  ])("SRCH-5 answers a %s query quickly, never with a 5xx", async (_kind, q) => {
    const { owner, workspaceId, docName } = await workspaceWithConversation(t.url);
    await say(t, docName, "abc def", "a b c words to match", "日本語 text");
    const started = Date.now();
    const res = await search(t, owner.token, workspaceId, q);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(res.status).toBe(200);
    expect(Array.isArray(res.body.hits)).toBe(true);
  });

  it("SRCH-5 refuses an oversized query, a bad limit and a missing query with 4xx", async () => {
    const { owner, workspaceId } = await workspaceWithConversation(t.url);
    const tooLong = await search(t, owner.token, workspaceId, "a".repeat(257));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.message).toMatch(/q: at most 256/);
    const huge = await search(t, owner.token, workspaceId, "a".repeat(100_000));
    expect(huge.status).toBeGreaterThanOrEqual(400);
    expect(huge.status).toBeLessThan(500);
    for (const limit of ["0", "51", "abc"]) {
      expect((await api(t.url, `/api/workspaces/${workspaceId}/search?q=x&limit=${limit}`, { token: owner.token })).status).toBe(400);
    }
    expect((await api(t.url, `/api/workspaces/${workspaceId}/search`, { token: owner.token })).status).toBe(400);
  });
});

describe("search sizes", () => {
  it("limits hits to `limit`", async () => {
    const { owner, workspaceId, docName } = await workspaceWithConversation(t.url);
    await say(t, docName, ...Array.from({ length: 30 }, (_, i) => `walrus number ${i}`));
    expect((await search(t, owner.token, workspaceId, "walrus")).body.hits).toHaveLength(20);
    expect((await search(t, owner.token, workspaceId, "walrus", 5)).body.hits).toHaveLength(5);
  });
});
