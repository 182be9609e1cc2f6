import {
  appendMessage, messageText, parseDocName, readIndex, readMessages, readMeta, readPeer, workspaceIndexDocName,
  conversationDocName, inboxDocName, messageList, restoreAuthor, AI_AUTHOR_ID,
} from "@junokit/doc-model";
import WebSocket from "ws";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, api, connect, register, startTestServer, until, workspaceWithConversation, type Peer, type TestServer } from "../support/server";

let t: TestServer;
const peers: Peer[] = [];
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  peers.forEach((p) => p.destroy());
  await t.close();
});

function open(docName: string, token: string, headers?: Record<string, string>): Peer {
  const peer = connect(t.wsUrl, docName, token, headers ? { headers } : {});
  peers.push(peer);
  return peer;
}

function post(peer: Peer, text: string, author: { id: string; name: string }, role: "user" | "assistant" = "user") {
  appendMessage(peer.doc, { id: `m${Math.random().toString(36).slice(2)}`, role, authorId: author.id, authorName: author.name, createdAt: Date.now(), text });
}

describe("live documents", () => {
  it("SYNC-1 several providers converge on messages and meta", async () => {
    const { owner, workspaceId, docName } = await workspaceWithConversation(t.url, { ai: "off" });
    const editor = await addMember(t.url, owner, workspaceId, "editor");
    const a = open(docName, owner.token);
    const b = open(docName, editor.token);
    const c = open(docName, owner.token);
    await Promise.all([a.synced, b.synced, c.synced]);
    expect(readMeta(b.doc)).toMatchObject({ title: "Launch", persona: "dev", ai: "off", createdBy: owner.user.id });
    post(a, "hello from a", { id: owner.user.id, name: owner.user.displayName });
    post(b, "hello from b", { id: editor.user.id, name: editor.user.displayName });
    await Promise.all([a, b, c].map((p) => until(p.doc, () => readMessages(p.doc).length === 2)));
    const texts = (p: Peer) => readMessages(p.doc).map((m) => m.text).sort();
    expect(texts(a)).toEqual(["hello from a", "hello from b"]);
    expect(texts(c)).toEqual(texts(a));
  });

  it("AUTH-1 every role: owner and editor write, viewer reads only", async () => {
    const { owner, workspaceId, docName } = await workspaceWithConversation(t.url, { ai: "off" });
    const editor = await addMember(t.url, owner, workspaceId, "editor");
    const viewer = await addMember(t.url, owner, workspaceId, "viewer");
    const o = open(docName, owner.token), e = open(docName, editor.token), v = open(docName, viewer.token);
    await Promise.all([o.synced, e.synced, v.synced]);
    expect([o.scope(), e.scope(), v.scope()]).toEqual(["read-write", "read-write", "readonly"]);
    post(e, "editor writes", { id: editor.user.id, name: "E" });
    await until(v.doc, () => readMessages(v.doc).length === 1);
    expect(readMessages(v.doc)[0]!.text).toBe("editor writes");
  });

  it("AUTH-2 viewer writes are neither applied nor persisted", async () => {
    const { owner, workspaceId, docName } = await workspaceWithConversation(t.url, { ai: "off" });
    const viewer = await addMember(t.url, owner, workspaceId, "viewer");
    const v = open(docName, viewer.token);
    const o = open(docName, owner.token);
    await Promise.all([v.synced, o.synced]);
    post(v, "viewer sneaks in", { id: viewer.user.id, name: "V" });
    post(o, "owner after", { id: owner.user.id, name: "O" });
    await until(v.doc, () => readMessages(v.doc).some((m) => m.text === "owner after"));
    expect(readMessages(o.doc).map((m) => m.text)).toEqual(["owner after"]);
    const stored = new Y.Doc();
    for (const u of await t.server.store.loadDocument(docName)) Y.applyUpdate(stored, u);
    expect(readMessages(stored).map((m) => m.text)).toEqual(["owner after"]);
  });

  it("AUTH-3 refuses no token, forged token, strangers and bad names before loading anything", async () => {
    const { owner, workspaceId, docName } = await workspaceWithConversation(t.url, { ai: "off" });
    const stranger = await register(t.url);
    await expect(open(docName, "").synced).rejects.toThrow(/token/);
    await expect(open(docName, owner.token.slice(0, -3) + "abc").synced).rejects.toThrow(/token/);
    await expect(open(docName, stranger.token).synced).rejects.toThrow(/not a member/);
    await expect(open(conversationDocName(workspaceId, "nope"), owner.token).synced).rejects.toThrow(/no such conversation/);
    await expect(open(inboxDocName(stranger.user.id), owner.token).synced).rejects.toThrow(/someone else/);
    for (const bad of ["ws/../conv/x", "x".repeat(5000), `ws/${workspaceId}/conv/${"c".repeat(65)}`, "../../etc/passwd", `ws/${workspaceId}/conv/a b`]) {
      expect(parseDocName(bad)).toBeNull();
      await expect(open(bad, owner.token).synced).rejects.toThrow(/invalid document name/);
    }
    // Hocuspocus treats NUL as a session separator, so this one names a conversation that does not exist.
    await expect(open(`ws/${workspaceId}/conv/a\u0000b`, owner.token).synced).rejects.toThrow(/no such conversation/);
    // None of the refused names was ever loaded.
    const loaded = [...t.server.collab.hocuspocus.documents.keys()];
    expect(loaded.filter((name) => name !== docName && name.startsWith(`ws/${workspaceId}/conv/`))).toEqual([]);
    expect(loaded.some((name) => name.includes("..") || name.includes("passwd") || name.includes("\u0000"))).toBe(false);
  });

  it("AUTH-4 the workspace index is read-only for members, the inbox only for its owner", async () => {
    const { owner, workspaceId } = await workspaceWithConversation(t.url, { ai: "off" });
    const idx = open(workspaceIndexDocName(workspaceId), owner.token);
    await idx.synced;
    expect(idx.scope()).toBe("readonly");
    const inbox = open(inboxDocName(owner.user.id), owner.token);
    await inbox.synced;
    expect(inbox.scope()).toBe("read-write");
  });

  it("IDX-1 the index document follows titles, messages and new conversations live", async () => {
    const { owner, workspaceId, conversationId, docName } = await workspaceWithConversation(t.url, { ai: "off" });
    const idx = open(workspaceIndexDocName(workspaceId), owner.token);
    await idx.synced;
    await until(idx.doc, () => readIndex(idx.doc).some((e) => e.id === conversationId));
    const conv = open(docName, owner.token);
    await conv.synced;
    post(conv, "the **first** words", { id: owner.user.id, name: owner.user.displayName });
    await until(idx.doc, () => readIndex(idx.doc)[0]?.preview === "the **first** words");
    expect(readIndex(idx.doc)[0]).toMatchObject({ id: conversationId, title: "Launch", persona: "dev", messageCount: 1, lastAuthorName: owner.user.displayName });
    const second = await api(t.url, `/api/workspaces/${workspaceId}/conversations`, { token: owner.token, body: { title: "Second" } });
    await until(idx.doc, () => readIndex(idx.doc).some((e) => e.id === second.body.id && e.title === "Second"));
    const list = await api(t.url, `/api/workspaces/${workspaceId}/conversations`, { token: owner.token });
    expect(list.body.map((c: any) => c.id)).toContain(second.body.id);
  });

  it("IDX-2 a conversation that keeps changing (a streaming reply) still refreshes its index entry", async () => {
    const { owner, workspaceId, docName } = await workspaceWithConversation(t.url, { ai: "off" });
    const idx = open(workspaceIndexDocName(workspaceId), owner.token);
    await idx.synced;
    const writer = await t.server.collab.hocuspocus.openDirectConnection(docName, { server: true });
    await writer.transact((doc) => appendMessage(doc, { id: "s1", role: "assistant", authorId: AI_AUTHOR_ID, authorName: "Dev", createdAt: Date.now(), text: "" }));
    let streaming = true;
    const seenWhileStreaming = until(idx.doc, () => readIndex(idx.doc)[0]?.preview.startsWith("token") === true, 5_000).then(() => streaming);
    // A token every 50 ms for 2.5 s: never 150 ms of quiet.
    for (let i = 0; i < 50; i++) {
      await writer.transact((doc) => messageText(messageList(doc).get(0)).insert(messageText(messageList(doc).get(0)).length, `token${i} `));
      await new Promise((r) => setTimeout(r, 50));
    }
    streaming = false;
    expect(await seenWhileStreaming).toBe(true);
    await writer.disconnect();
  });

  it("AUTH-5 authorship: a message posted as someone else is corrected to its real author", async () => {
    const { owner, workspaceId, docName } = await workspaceWithConversation(t.url, { ai: "off" });
    const mallory = await addMember(t.url, owner, workspaceId, "editor");
    const m = open(docName, mallory.token), o = open(docName, owner.token);
    await Promise.all([m.synced, o.synced]);
    post(m, "I am the owner, honest", { id: owner.user.id, name: owner.user.displayName });
    post(m, "and I am the AI", { id: AI_AUTHOR_ID, name: "Dev" }, "assistant");
    await until(o.doc, () => readMessages(o.doc).length === 2 && readMessages(o.doc).every((x) => x.authorId === mallory.user.id));
    for (const msg of readMessages(o.doc)) expect(msg).toMatchObject({ authorId: mallory.user.id, authorName: mallory.user.displayName, role: "user" });
    // Rewriting the author of someone else's message is reverted too.
    post(o, "owner's own words", { id: owner.user.id, name: owner.user.displayName });
    await until(m.doc, () => readMessages(m.doc).length === 3);
    restoreAuthor(messageList(m.doc).get(2), { authorId: mallory.user.id });
    await until(o.doc, () => readMessages(o.doc)[2]!.authorId === owner.user.id);
    await until(m.doc, () => readMessages(m.doc)[2]!.authorId === owner.user.id);
  });

  it("AUTH-6 awareness carries the authenticated identity; spoofed users and foreign client ids are rejected", async () => {
    const { owner, workspaceId, docName } = await workspaceWithConversation(t.url, { ai: "off" });
    const mallory = await addMember(t.url, owner, workspaceId, "viewer");
    const o = open(docName, owner.token), m = open(docName, mallory.token);
    await Promise.all([o.synced, m.synced]);
    o.provider.setAwarenessField("user", { id: owner.user.id, name: owner.user.displayName, color: "#123456", kind: "human" });
    await new Promise<void>((resolve) => {
      const server = t.server.collab.hocuspocus.documents.get(docName)!.awareness;
      const check = () => server.getStates().has(o.doc.clientID) && resolve();
      server.on("change", check);
      check();
    });
    m.provider.setAwarenessField("user", { id: owner.user.id, name: "Owner (really)", color: "#ff0000", kind: "ai" });
    m.provider.setAwarenessField("typing", true);
    const peerOf = (p: Peer, clientId: number) => readPeer(p.awareness().getStates().get(clientId));
    await new Promise<void>((resolve) => {
      const check = () => {
        const seen = peerOf(o, m.doc.clientID);
        if (seen?.user.id === mallory.user.id) resolve();
      };
      o.provider.awareness!.on("change", check);
      check();
    });
    expect(peerOf(o, m.doc.clientID)).toMatchObject({ user: { id: mallory.user.id, name: mallory.user.displayName, kind: "human" }, typing: false });
    // Writing the owner's client id from Mallory's connection does not reach anyone.
    const { encodeAwarenessUpdate, Awareness } = await import("y-protocols/awareness");
    const fake = new Awareness(new Y.Doc());
    fake.clientID = o.doc.clientID;
    fake.setLocalState({ user: { id: "x", name: "hijacked" }, typing: true });
    fake.meta.set(o.doc.clientID, { clock: 1000, lastUpdated: Date.now() });
    const { OutgoingMessage } = await import("@hocuspocus/server");
    m.socket.send(new OutgoingMessage(docName).createAwarenessUpdateMessage(fake, [o.doc.clientID]).toUint8Array());
    // Frames of one socket are handled in order: once Mallory's next change is in, the forgery was handled.
    m.provider.setAwarenessField("cursor", 42);
    const server = t.server.collab.hocuspocus.documents.get(docName)!.awareness;
    await new Promise<void>((resolve) => {
      const check = () => (server.getStates().get(m.doc.clientID) as any)?.cursor === 42 && resolve();
      server.on("change", check);
      check();
    });
    expect((server.getStates().get(o.doc.clientID) as any).user.name).toBe(owner.user.displayName);
    expect(readPeer(o.awareness().getStates().get(o.doc.clientID))!.user.name).toBe(owner.user.displayName);
  });
});

describe("hostile input", () => {
  it("LIM-1 garbage frames before auth close only that socket", async () => {
    const { owner, docName } = await workspaceWithConversation(t.url, { ai: "off" });
    const healthy = open(docName, owner.token);
    await healthy.synced;
    const garbage = [Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff]), Buffer.alloc(0), Buffer.from("not yjs at all"), Buffer.from([3, 0x61, 0x62, 0x63, 99, 1, 2])];
    const outcomes = await Promise.all(garbage.map(async (frame) => {
      const raw = new WebSocket(t.wsUrl);
      await new Promise((r) => raw.once("open", r));
      const closed = new Promise<number>((r) => raw.once("close", (code) => r(code)));
      raw.send(frame);
      // A frame the server cannot read is answered by closing that socket.
      return closed;
    }));
    expect(outcomes.every((code) => code >= 1000)).toBe(true);
    post(healthy, "still alive", { id: owner.user.id, name: "O" });
    await healthy.acknowledged();
    expect((await api(t.url, "/api/health")).status).toBe(200);
  });

  it("LIM-2 a malformed update after auth closes that connection and is not stored", async () => {
    const { owner, docName } = await workspaceWithConversation(t.url, { ai: "off" });
    const p = open(docName, owner.token);
    await p.synced;
    const before = await t.server.store.documentSize(docName);
    const { OutgoingMessage } = await import("@hocuspocus/server");
    const msg = new OutgoingMessage(docName).createSyncMessage();
    // Sync step "update" (2) with bytes that are not a Yjs update.
    const { writeVarUint, writeVarUint8Array } = await import("lib0/encoding");
    writeVarUint(msg.encoder, 2);
    writeVarUint8Array(msg.encoder, new Uint8Array([200, 1, 2, 3, 250, 250, 250, 9]));
    const closed = new Promise<void>((resolve) => p.provider.on("close", () => resolve()));
    p.socket.send(msg.toUint8Array());
    await closed;
    expect(await t.server.store.documentSize(docName)).toBe(before);
    const other = open(docName, owner.token);
    await other.synced;
    expect(readMeta(other.doc).title).toBe("Launch");
  });

  it("LIM-3 an oversized message closes the socket; the server carries on", async () => {
    const small = await startTestServer({ env: { MAX_MESSAGE_BYTES: "65536" } });
    try {
      const { owner, docName } = await workspaceWithConversation(small.url, { ai: "off" });
      const p = connect(small.wsUrl, docName, owner.token);
      await p.synced;
      const closed = new Promise<number>((resolve) => p.socket.on("close", ({ event }: { event: { code: number } }) => resolve(event.code)));
      post(p, "x".repeat(200_000), { id: owner.user.id, name: "O" });
      expect(await closed).toBe(1009);
      p.destroy();
      const fresh = connect(small.wsUrl, docName, owner.token);
      await fresh.synced;
      expect(readMessages(fresh.doc)).toEqual([]);
      fresh.destroy();
    } finally {
      await small.close();
    }
  });

  it("LIM-4 a document over the size cap refuses further updates and keeps what it had", async () => {
    const small = await startTestServer({ env: { MAX_DOCUMENT_BYTES: "20000" } });
    try {
      const { owner, docName } = await workspaceWithConversation(small.url, { ai: "off" });
      const p = connect(small.wsUrl, docName, owner.token);
      await p.synced;
      post(p, "first", { id: owner.user.id, name: "O" });
      await p.acknowledged();
      const closed = new Promise<void>((resolve) => p.provider.on("close", () => resolve()));
      post(p, "y".repeat(30_000), { id: owner.user.id, name: "O" });
      await closed;
      p.destroy();
      const fresh = connect(small.wsUrl, docName, owner.token);
      await fresh.synced;
      expect(readMessages(fresh.doc).map((m) => m.text)).toEqual(["first"]);
      fresh.destroy();
    } finally {
      await small.close();
    }
  });

  it("LIM-5 browser origins outside the allow-list are refused; no Origin is judged by token", async () => {
    const { owner, docName } = await workspaceWithConversation(t.url, { ai: "off" });
    await expect(open(docName, owner.token, { origin: "https://evil.example" }).synced).rejects.toThrow();
    const same = open(docName, owner.token, { origin: t.url });
    await same.synced;
    const noOrigin = open(docName, owner.token);
    await noOrigin.synced;
    const wrongPath = new WebSocket(`ws://127.0.0.1:${t.port}/elsewhere`);
    const status = await new Promise<number>((resolve) => wrongPath.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0)));
    expect(status).toBe(404);
  });

  it("LIM-6 unauthenticated sockets are capped", async () => {
    const capped = await startTestServer({ env: { MAX_UNAUTHENTICATED_CONNECTIONS: "3" } });
    const sockets: WebSocket[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const s = new WebSocket(`ws://127.0.0.1:${capped.port}/collab`);
        await new Promise((r) => s.once("open", r));
        sockets.push(s);
      }
      const fourth = new WebSocket(`ws://127.0.0.1:${capped.port}/collab`);
      const status = await new Promise<number>((resolve) => fourth.on("unexpected-response", (_req, res) => resolve(res.statusCode ?? 0)));
      expect(status).toBe(503);
      sockets[0]!.close();
      await new Promise((r) => sockets[0]!.once("close", r));
      await until(new Y.Doc(), () => capped.server.collab.stats().pendingSockets < 3).catch(() => undefined);
      const again = new WebSocket(`ws://127.0.0.1:${capped.port}/collab`);
      await new Promise((resolve, reject) => { again.once("open", resolve); again.once("unexpected-response", reject); });
      again.close();
    } finally {
      sockets.forEach((s) => s.terminate());
      await capped.close();
    }
  });
});

describe("restart", () => {
  it("DUR-1 documents, accounts and workspaces survive a restart", async () => {
    const first = await startTestServer();
    const { owner, docName } = await workspaceWithConversation(first.url, { ai: "off" });
    const p = connect(first.wsUrl, docName, owner.token);
    await p.synced;
    post(p, "remember me", { id: owner.user.id, name: "O" });
    messageText(messageList(p.doc).get(0)).insert(0, ">> ");
    await p.acknowledged();
    p.destroy();
    await first.close({ keepData: true });
    const second = await startTestServer({ dataDir: first.dataDir });
    try {
      const login = await api(second.url, "/api/auth/login", { body: { username: owner.user.username, password: "correct horse battery" } });
      expect(login.status).toBe(200);
      const q = connect(second.wsUrl, docName, login.body.token);
      await q.synced;
      expect(readMessages(q.doc).map((m) => m.text)).toEqual([">> remember me"]);
      q.destroy();
    } finally {
      await second.close();
    }
  });
});
