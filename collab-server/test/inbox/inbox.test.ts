import {
  appendInboxItem, appendMessage, inboxDocName, inboxItems, markRead, messageList, readInbox, setStatus, writeMeta, type InboxItem,
} from "@junokit/doc-model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, api, connect, register, startTestServer, until, workspaceWithConversation, type Peer, type Session, type TestServer } from "../support/server";

let t: TestServer;
const peers: Peer[] = [];
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(async () => {
  peers.forEach((p) => p.destroy());
  await t?.close();
});

async function open(docName: string, session: Session): Promise<Peer> {
  const peer = connect(t.wsUrl, docName, session.token);
  peers.push(peer);
  await peer.synced;
  return peer;
}

const inbox = (session: Session) => open(inboxDocName(session.user.id), session);

/** A workspace whose conversation has the AI switched off, so only the test writes replies. */
async function quietWorkspace() {
  const w = await workspaceWithConversation(t.url);
  await t.server.collab.writer.change(w.docName, (doc) => writeMeta(doc, { ai: "off" }));
  return w;
}

function say(peer: Peer, author: Session, id: string, text: string): Promise<void> {
  appendMessage(peer.doc, { id, role: "user", authorId: author.user.id, authorName: author.user.displayName, createdAt: Date.now(), text });
  return peer.acknowledged();
}

describe("notifications (SPEC INBOX-*)", () => {
  it("INBOX-1 a person's @mention of a member lands in that member's inbox; strangers, the author and server-written text do not notify", async () => {
    const { owner, workspaceId, conversationId, docName } = await quietWorkspace();
    const bob = await addMember(t.url, owner, workspaceId, "editor");
    const stranger = await register(t.url);
    // Written by the server (an AI reply, an import): mentions in it notify nobody.
    await t.server.collab.writer.change(docName, (doc) =>
      appendMessage(doc, { id: "srv", role: "assistant", authorId: "ai", authorName: "AI", createdAt: Date.now(), text: `ask @${bob.user.username}` }),
    );
    const conversation = await open(docName, owner);
    await say(conversation, owner, "m1", `@${stranger.user.username} @${owner.user.username} hey @${bob.user.username.toUpperCase()}, can you review?`);

    const bobs = await inbox(bob);
    const mentions = () => readInbox(bobs.doc).filter((i) => i.kind === "mention");
    await until(bobs.doc, () => mentions().length > 0);
    const items = mentions();
    expect(items).toEqual([{
      id: expect.any(String), kind: "mention", workspaceId, conversationId, messageId: "m1", from: owner.user.id,
      text: expect.stringContaining("can you review?"), createdAt: expect.any(Number), read: false,
    }]);
    expect(items[0]!.text.startsWith(`${owner.user.displayName}:`)).toBe(true);
    // Mentions are handled in order, so the earlier names were settled before Bob's item was written.
    await t.server.notifier.flush();
    expect(readInbox((await inbox(stranger)).doc)).toEqual([]);
    expect(readInbox((await inbox(owner)).doc).filter((i) => i.kind === "mention")).toEqual([]);
  });

  it("INBOX-2 INBOX-5 a finished AI reply notifies whoever asked, once; a conversation written at once (an import) does not", async () => {
    const { owner, workspaceId, conversationId, docName } = await quietWorkspace();
    const conversation = await open(docName, owner);
    await t.server.collab.writer.change(docName, (doc) => {
      appendMessage(doc, { id: "old-q", role: "user", authorId: owner.user.id, authorName: "O", createdAt: 1, text: "imported question" });
      appendMessage(doc, { id: "old-a", role: "assistant", authorId: "ai", authorName: "AI", createdAt: 2, text: "imported answer", replyTo: "old-q", status: "done" });
    });
    await say(conversation, owner, "q1", "What is a CRDT?");
    await t.server.collab.writer.change(docName, (doc) => {
      appendMessage(doc, { id: "a1", role: "assistant", authorId: "ai", authorName: "AI", createdAt: Date.now(), text: "A CRDT is", replyTo: "q1", status: "streaming" });
    });
    const mine = await inbox(owner);
    await t.server.notifier.flush();
    expect(readInbox(mine.doc)).toEqual([]);
    await t.server.collab.writer.change(docName, (doc) => {
      const reply = messageList(doc).toArray().at(-1)!;
      setStatus(reply, "done");
    });
    await until(mine.doc, () => readInbox(mine.doc).length > 0);
    expect(readInbox(mine.doc)).toEqual([{
      id: expect.any(String), kind: "ai-reply", workspaceId, conversationId, messageId: "a1", from: "ai",
      text: "A CRDT is", createdAt: expect.any(Number), read: false,
    }]);
    // Done again (a second instance seeing the same change): still one item.
    await t.server.collab.writer.change(docName, (doc) => setStatus(messageList(doc).toArray().at(-1)!, "streaming"));
    await t.server.collab.writer.change(docName, (doc) => setStatus(messageList(doc).toArray().at(-1)!, "done"));
    await t.server.notifier.flush();
    expect(readInbox(mine.doc)).toHaveLength(1);
  });

  it("INBOX-3 being added to a workspace brings an invite; a later role change does not", async () => {
    const { owner, workspaceId } = await quietWorkspace();
    const carol = await register(t.url);
    const res = await api(t.url, `/api/workspaces/${workspaceId}/members`, { token: owner.token, body: { username: carol.user.username, role: "viewer" } });
    expect(res.status).toBe(200);
    const hers = await inbox(carol);
    expect(readInbox(hers.doc)).toEqual([{
      id: expect.any(String), kind: "invite", workspaceId, conversationId: "", messageId: "", from: owner.user.id,
      text: `${owner.user.displayName} added you to Team as viewer`, createdAt: expect.any(Number), read: false,
    }]);
    await api(t.url, `/api/workspaces/${workspaceId}/members`, { token: owner.token, body: { username: carol.user.username, role: "editor" } });
    await t.server.notifier.flush();
    expect(readInbox(hers.doc)).toHaveLength(1);
  });

  it("INBOX-4 only its owner can open an inbox", async () => {
    const alice = await register(t.url);
    const mallory = await register(t.url);
    const peer = connect(t.wsUrl, inboxDocName(alice.user.id), mallory.token);
    peers.push(peer);
    await expect(peer.synced).rejects.toThrow(/belongs to someone else/);
  });

  it("INBOX-4 the owner can mark items read (one, then all) but every other change is put back", async () => {
    const { owner, workspaceId } = await quietWorkspace();
    const dave = await addMember(t.url, owner, workspaceId, "editor");
    const other = await workspaceWithConversation(t.url);
    await api(t.url, `/api/workspaces/${other.workspaceId}/members`, { token: other.owner.token, body: { username: dave.user.username, role: "viewer" } });
    const mine = await inbox(dave);
    await until(mine.doc, () => readInbox(mine.doc).length === 2);
    const written = readInbox(mine.doc);

    markRead(mine.doc, [written[0]!.id]);
    await mine.acknowledged();
    const [first, second] = inboxItems(mine.doc).toArray();
    mine.doc.transact(() => {
      const forged: Partial<InboxItem> = { text: "you won a prize", kind: "system" };
      for (const [field, value] of Object.entries(forged)) first!.set(field, value);
      second!.set("extra", "<script>");
      appendInboxItem(mine.doc, { ...written[0]!, id: "forged", text: "forged item" });
    });
    await mine.acknowledged();
    const expected: InboxItem[] = [{ ...written[0]!, read: true }, written[1]!];
    await until(mine.doc, () => JSON.stringify(readInbox(mine.doc)) === JSON.stringify(expected));
    // Deleting is no more allowed than forging.
    inboxItems(mine.doc).delete(0, 1);
    await mine.acknowledged();
    await until(mine.doc, () => JSON.stringify(readInbox(mine.doc)) === JSON.stringify(expected));
    markRead(mine.doc, "all");
    await mine.acknowledged();

    // What is stored is what a fresh connection sees.
    mine.destroy();
    const again = await inbox(dave);
    expect(readInbox(again.doc)).toEqual(expected.map((i) => ({ ...i, read: true })));
  });
});
