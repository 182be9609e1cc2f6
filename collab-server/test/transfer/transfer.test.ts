import { readFile } from "node:fs/promises";
import { appendMessage, messageReasoning, writeMeta, writeNotesJson, type NotesNode } from "@junokit/doc-model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { notesToMarkdown } from "../../src/transfer";
import { addMember, api, register, startTestServer, workspaceWithConversation, type Session, type TestServer } from "../support/server";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t?.close());

const notes: NotesNode = {
  type: "doc",
  content: [
    { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "Launch checklist" }] },
    { type: "paragraph", content: [{ type: "text", text: "Freeze " }, { type: "text", text: "Friday", marks: [{ type: "bold" }] }, { type: "text", text: ", ship Monday." }] },
    { type: "bulletList", content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "rotate keys" }] }] }] },
    { type: "codeBlock", attrs: { language: "sh" }, content: [{ type: "text", text: "npm run deploy -- --prod" }] },
  ],
};

// Texts chosen to break naive formats: Markdown syntax, a fake marker, surrounding whitespace.
const tricky = "### Not a heading of ours\n<!-- junokit:message {\"id\":\"fake\",\"role\":\"user\"} -->\n\n<!-- junokit:notes -->\n  trailing spaces  \n\n";

/** A workspace whose conversation holds people, the AI (with reasoning), an error and notes. */
async function seeded() {
  const w = await workspaceWithConversation(t.url);
  const bob = await addMember(t.url, w.owner, w.workspaceId, "editor");
  await t.server.collab.writer.change(w.docName, (doc) => {
    writeMeta(doc, { title: "Launch plan", persona: "ops", ai: "mention" });
    appendMessage(doc, { id: "q1", role: "user", authorId: w.owner.user.id, authorName: w.owner.user.displayName, createdAt: 1_700_000_000_000, text: "When do we **launch**? @ai" });
    const reply = appendMessage(doc, { id: "a1", role: "assistant", authorId: "ai", authorName: "JunoKit AI", createdAt: 1_700_000_001_000, text: "Monday, after the freeze.", replyTo: "q1", model: "deepseek/deepseek-r1", status: "done" });
    messageReasoning(reply).insert(0, "The freeze is Friday, so Monday.");
    appendMessage(doc, { id: "b1", role: "user", authorId: bob.user.id, authorName: bob.user.displayName, createdAt: 1_700_000_002_000, text: tricky });
    appendMessage(doc, { id: "a2", role: "assistant", authorId: "ai", authorName: "JunoKit AI", createdAt: 1_700_000_003_000, text: "", replyTo: "b1", status: "error", error: "the endpoint timed out" });
    writeNotesJson(doc, notes);
  });
  return { ...w, bob };
}

/** What must survive a round trip: everything but ids (replies point by position instead). */
function content(exported: any, { markdown = false } = {}) {
  const position = new Map(exported.messages.map((m: any, i: number) => [m.id, i]));
  return {
    meta: { title: exported.meta.title, persona: exported.meta.persona, ai: exported.meta.ai },
    messages: exported.messages.map((m: any) => ({
      role: m.role, authorName: m.authorName, createdAt: m.createdAt, text: m.text, status: m.status, model: m.model, error: m.error,
      replyTo: m.replyTo === undefined ? undefined : position.get(m.replyTo),
      ...(markdown ? {} : { reasoning: m.reasoning }),
    })),
    notes: markdown ? notesToMarkdown(exported.notes) : exported.notes,
  };
}

async function exportOf(session: Session, workspaceId: string, conversationId: string, format = "json") {
  const res = await fetch(`${t.url}/api/workspaces/${workspaceId}/conversations/${conversationId}/export?format=${format}`, { headers: { authorization: `Bearer ${session.token}` } });
  return { status: res.status, headers: res.headers, bytes: new Uint8Array(await res.arrayBuffer()) };
}

async function importInto(session: Session, workspaceId: string, body: Uint8Array | string, contentType: string, query = "") {
  const res = await fetch(`${t.url}/api/workspaces/${workspaceId}/import${query}`, {
    method: "POST", headers: { authorization: `Bearer ${session.token}`, "content-type": contentType }, body: body as NonNullable<RequestInit["body"]>,
  });
  const text = await res.text();
  let json: any;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: res.status, body: json };
}

async function newWorkspace(owner: Session) {
  return (await api(t.url, "/api/workspaces", { token: owner.token, body: { name: "Imports" } })).body.id as string;
}

const json = (bytes: Uint8Array) => JSON.parse(new TextDecoder().decode(bytes));

describe("export (SPEC XFER-1, XFER-2)", () => {
  it("XFER-1 exports a conversation as versioned JSON with meta, messages and notes", async () => {
    const w = await seeded();
    const res = await exportOf(w.owner, w.workspaceId, w.conversationId);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toMatch(/attachment; filename="Launch plan\.json"/);
    const body = json(res.bytes);
    expect(body).toMatchObject({ format: "junokit.conversation", version: 1, meta: { title: "Launch plan", persona: "ops", ai: "mention", workspaceId: w.workspaceId, conversationId: w.conversationId } });
    expect(body.messages.map((m: any) => [m.id, m.role, m.status])).toEqual([["q1", "user", "done"], ["a1", "assistant", "done"], ["b1", "user", "done"], ["a2", "assistant", "error"]]);
    expect(body.messages[1]).toMatchObject({ replyTo: "q1", model: "deepseek/deepseek-r1", reasoning: "The freeze is Friday, so Monday." });
    expect(body.messages[2].text).toBe(tricky);
    expect(body.notes).toEqual(notes);
  });

  it("XFER-2 exports readable Markdown and the raw Yjs state; viewers may export, strangers may not", async () => {
    const w = await seeded();
    const viewer = await addMember(t.url, w.owner, w.workspaceId, "viewer");
    const md = await exportOf(viewer, w.workspaceId, w.conversationId, "markdown");
    expect(md.status).toBe(200);
    expect(md.headers.get("content-type")).toMatch(/text\/markdown/);
    const text = new TextDecoder().decode(md.bytes);
    expect(text).toMatch(/^---\nformat: "junokit.conversation"\nversion: 1\n/);
    expect(text).toContain("# Launch plan");
    expect(text).toContain("When do we **launch**? @ai");
    expect(text).toContain("## Notes\n\n## Launch checklist\n\nFreeze **Friday**, ship Monday.");
    const yjs = await exportOf(viewer, w.workspaceId, w.conversationId, "yjs");
    expect(yjs.status).toBe(200);
    expect(yjs.headers.get("content-type")).toBe("application/octet-stream");
    expect(yjs.bytes.length).toBeGreaterThan(100);
    const stranger = await register(t.url);
    expect((await exportOf(stranger, w.workspaceId, w.conversationId)).status).toBe(404);
    expect((await exportOf(w.owner, w.workspaceId, "nosuchconversation")).status).toBe(404);
    expect((await exportOf(w.owner, w.workspaceId, w.conversationId, "pdf")).status).toBe(400);
  });
});

describe("import (SPEC XFER-3..6)", () => {
  it.each([
    ["json", "application/json"],
    ["markdown", "text/markdown"],
    ["yjs", "application/octet-stream"],
  ])("XFER-3 a %s export imports as a new conversation with the same content", async (format, contentType) => {
    const w = await seeded();
    const original = json((await exportOf(w.owner, w.workspaceId, w.conversationId)).bytes);
    const file = (await exportOf(w.owner, w.workspaceId, w.conversationId, format)).bytes;
    const target = await newWorkspace(w.owner);
    const res = await importInto(w.owner, target, file, contentType);
    expect(res.status).toBe(201);
    expect(res.body.conversations).toEqual([{ id: expect.any(String), docName: `ws/${target}/conv/${res.body.conversations[0].id}`, title: "Launch plan" }]);
    const imported = json((await exportOf(w.owner, target, res.body.conversations[0].id)).bytes);
    const markdown = format === "markdown";
    expect(content(imported, { markdown })).toEqual(content(original, { markdown }));
    // Fresh ids; the importer's own messages stay theirs, other people's are marked imported.
    expect(imported.messages.map((m: any) => m.id)).not.toContain("q1");
    expect(imported.messages.map((m: any) => m.authorId)).toEqual([w.owner.user.id, "ai", "imported", "ai"]);
    const list = await api(t.url, `/api/workspaces/${target}/conversations`, { token: w.owner.token });
    expect(list.body.map((c: any) => c.title)).toEqual(["Launch plan"]);
    const hits = await api(t.url, `/api/workspaces/${target}/search?q=freeze`, { token: w.owner.token });
    expect(hits.body.hits.map((h: any) => h.conversationId)).toContain(res.body.conversations[0].id);
  });

  it("XFER-3 a workspace archive exports every conversation and imports them all", async () => {
    const w = await seeded();
    await api(t.url, `/api/workspaces/${w.workspaceId}/conversations`, { token: w.owner.token, body: { title: "Second" } });
    const archive = await api(t.url, `/api/workspaces/${w.workspaceId}/export`, { token: w.owner.token });
    expect(archive.status).toBe(200);
    expect(archive.body).toMatchObject({ format: "junokit.workspace", version: 1, workspace: { id: w.workspaceId, name: "Team" } });
    expect(archive.body.conversations.map((c: any) => c.meta.title).sort()).toEqual(["Launch plan", "Second"]);
    const target = await newWorkspace(w.owner);
    const res = await importInto(w.owner, target, JSON.stringify(archive.body), "application/json");
    expect(res.status).toBe(201);
    expect(res.body.conversations.map((c: any) => c.title).sort()).toEqual(["Launch plan", "Second"]);
    const launch = res.body.conversations.find((c: any) => c.title === "Launch plan");
    const imported = json((await exportOf(w.owner, target, launch.id)).bytes);
    const original = archive.body.conversations.find((c: any) => c.meta.title === "Launch plan");
    expect(content(imported)).toEqual(content(original));
  });

  it("XFER-4 imports ChatGPT's conversations.json along current_node, keeping roles, text and times", async () => {
    const owner = await register(t.url);
    const target = await newWorkspace(owner);
    const file = await readFile(new URL("./fixtures/chatgpt-conversations.json", import.meta.url));
    const res = await importInto(owner, target, file, "application/json");
    expect(res.status).toBe(201);
    expect(res.body.conversations.map((c: any) => c.title)).toEqual(["Reversing lists", "CRDT haiku"]);
    const first = json((await exportOf(owner, target, res.body.conversations[0].id)).bytes);
    const base = 1714557600.123 * 1000;
    expect(first.meta).toMatchObject({ title: "Reversing lists", createdAt: base });
    expect(content(first).messages).toEqual([
      { role: "user", authorName: owner.user.displayName, createdAt: base + 1000, text: "How do I reverse a list in Python?", status: "done", model: undefined, error: undefined, replyTo: undefined, reasoning: undefined },
      { role: "assistant", authorName: "ChatGPT", createdAt: base + 5000, text: "Use `reversed(xs)` or `xs[::-1]`.", status: "done", model: "gpt-4o", error: undefined, replyTo: 0, reasoning: undefined },
      { role: "user", authorName: owner.user.displayName, createdAt: base + 20000, text: "And in JavaScript? Here is a screenshot.", status: "done", model: undefined, error: undefined, replyTo: undefined, reasoning: undefined },
      { role: "assistant", authorName: "ChatGPT", createdAt: base + 30000, text: "Use `arr.reverse()` (in place) or `[...arr].reverse()`.", status: "done", model: "gpt-4o-mini", error: undefined, replyTo: 2, reasoning: undefined },
    ]);
    expect(first.messages.map((m: any) => m.authorId)).toEqual([owner.user.id, "ai", owner.user.id, "ai"]);
    const second = json((await exportOf(owner, target, res.body.conversations[1].id)).bytes);
    expect(second.messages.map((m: any) => m.text)).toEqual(["Write a haiku about CRDTs", "Edits drift apart\nthen merge like rain on a pond\nno lock, no conflict"]);
  });

  it("XFER-4 a ChatGPT tree whose parents loop imports what the loop allows, once", async () => {
    const owner = await register(t.url);
    const target = await newWorkspace(owner);
    const node = (id: string, parent: string, role: string, text: string) => ({ id, parent, children: [], message: { id, author: { role }, create_time: 1, content: { content_type: "text", parts: [text] } } });
    const looped = [{ title: "Loop", create_time: 1, current_node: "b", mapping: { a: node("a", "b", "user", "A"), b: node("b", "a", "assistant", "B") } }];
    const res = await importInto(owner, target, JSON.stringify(looped), "application/json");
    expect(res.status).toBe(201);
    const imported = json((await exportOf(owner, target, res.body.conversations[0].id)).bytes);
    expect(imported.messages.map((m: any) => m.text)).toEqual(["A", "B"]);
  });

  describe("XFER-5 bad files get a clear 4xx and create nothing", () => {
    let owner: Session;
    let target: string;
    let good: any;
    beforeAll(async () => {
      const w = await seeded();
      owner = w.owner;
      good = json((await exportOf(w.owner, w.workspaceId, w.conversationId)).bytes);
      target = await newWorkspace(owner);
    });

    const cases: [string, () => Promise<[Uint8Array | string, string]>, number, RegExp][] = [
      ["truncated JSON", async () => [JSON.stringify(good).slice(0, 300), "application/json"], 400, /not valid JSON/],
      ["JSON that is not an export", async () => ['{"hello": "world"}', "application/json"], 400, /unknown format/],
      ["a newer version", async () => [JSON.stringify({ ...good, version: 2 }), "application/json"], 400, /version 2 is not supported/],
      ["a message with a bad role", async () => [JSON.stringify({ ...good, messages: [{ ...good.messages[0], role: "system" }] }), "application/json"], 400, /messages\.0\.role/],
      ["a workspace archive with one bad conversation", async () => [JSON.stringify({ format: "junokit.workspace", version: 1, conversations: [good, { ...good, messages: "nope" }] }), "application/json"], 400, /conversations\.1\.messages/],
      ["100 000 levels of nesting", async () => ["[".repeat(100_000) + "]".repeat(100_000), "application/json"], 400, /nests deeper than 128/],
      ["two million empty lists", async () => [`[${"[],".repeat(2_000_001)}[]]`, "application/json"], 413, /more than 2000000/],
      ["too many messages", async () => [JSON.stringify({ ...good, messages: Array.from({ length: 20_001 }, (_, i) => ({ ...good.messages[0], id: `m${i}`, text: "x" })) }), "application/json"], 400, /at most 20000 messages/],
      ["a message over a million characters", async () => [JSON.stringify({ ...good, messages: [{ ...good.messages[0], text: "y".repeat(1_000_001) }] }), "application/json"], 400, /at most 1000000 characters/],
      ["notes nested too deep", async () => {
        let deep: any = { type: "paragraph" };
        for (let i = 0; i < 50; i++) deep = { type: "blockquote", content: [deep] };
        return [JSON.stringify({ ...good, notes: { type: "doc", content: [deep] } }), "application/json"];
      }, 400, /notes: nested deeper/],
      ["not UTF-8", async () => [new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]), "application/json"], 400, /not UTF-8/],
      ["random bytes as Yjs", async () => [new Uint8Array(Array.from({ length: 512 }, (_, i) => (i * 7919) % 251)), "application/octet-stream"], 400, /Yjs/],
      ["a truncated Yjs update", async () => {
        const full = (await exportOf(owner, good.meta.workspaceId, good.meta.conversationId, "yjs")).bytes;
        return [full.slice(0, Math.floor(full.length / 2)), "application/octet-stream"];
      }, 400, /Yjs/],
      ["Markdown without front matter", async () => ["# Notes\n\nhello", "text/markdown"], 400, /front matter/],
      ["Markdown of a newer version", async () => ['---\nformat: "junokit.conversation"\nversion: 7\n---\n', "text/markdown"], 400, /version 7/],
      ["a ChatGPT file with a broken mapping", async () => [JSON.stringify([{ title: "x", mapping: 5 }]), "application/json"], 400, /ChatGPT conversation 1: mapping/],
      ["an empty archive", async () => [JSON.stringify({ format: "junokit.workspace", version: 1, conversations: [] }), "application/json"], 400, /no conversation/],
      ["an unknown content type", async () => ["hello", "image/png"], 415, /send a JunoKit export/],
    ];

    it.each(cases)("XFER-5 %s", async (_name, make, status, message) => {
      const [body, contentType] = await make();
      const res = await importInto(owner, target, body, contentType);
      expect(res.status).toBe(status);
      expect(res.body.error.message).toMatch(message);
      const list = await api(t.url, `/api/workspaces/${target}/conversations`, { token: owner.token });
      expect(list.body).toEqual([]);
    });

    it("XFER-5 a body over the import limit gets 413", async () => {
      const res = await importInto(owner, target, new Uint8Array(21 * 1024 * 1024).fill(0x20), "application/json");
      expect(res.status).toBe(413);
      expect(res.body.error.code).toBe("too_large");
      expect((await api(t.url, `/api/workspaces/${target}/conversations`, { token: owner.token })).body).toEqual([]);
    });

    it("XFER-5 IMPORT_MAX_BYTES sets the import limit", async () => {
      const small = await startTestServer({ env: { IMPORT_MAX_BYTES: "50000" } });
      try {
        const { owner: o, workspaceId } = await workspaceWithConversation(small.url);
        const res = await fetch(`${small.url}/api/workspaces/${workspaceId}/import`, {
          method: "POST", headers: { authorization: `Bearer ${o.token}`, "content-type": "application/json" }, body: " ".repeat(60_000),
        });
        expect(res.status).toBe(413);
      } finally {
        await small.close();
      }
    });

    it("XFER-5 __proto__ keys pollute nothing", async () => {
      const hostile = JSON.stringify(good).replace('"meta":{', '"meta":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},');
      const res = await importInto(owner, target, `{"__proto__":{"polluted":"yes"},${hostile.slice(1)}`, "application/json");
      expect(res.status).toBe(201);
      expect(({} as any).polluted).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty("polluted");
      const imported = json((await exportOf(owner, target, res.body.conversations[0].id)).bytes);
      expect(imported.meta).not.toHaveProperty("polluted");
      expect(content(imported)).toEqual(content(good));
    });
  });

  it("XFER-6 viewers may export but not import; strangers may do neither", async () => {
    const w = await seeded();
    const viewer = await addMember(t.url, w.owner, w.workspaceId, "viewer");
    const file = (await exportOf(viewer, w.workspaceId, w.conversationId)).bytes;
    const res = await importInto(viewer, w.workspaceId, file, "application/json");
    expect(res.status).toBe(403);
    const stranger = await register(t.url);
    expect((await importInto(stranger, w.workspaceId, file, "application/json")).status).toBe(404);
    const list = await api(t.url, `/api/workspaces/${w.workspaceId}/conversations`, { token: w.owner.token });
    expect(list.body).toHaveLength(1);
  });
});
