// The storage contract (SPEC.md STO-*): every `Store` implementation runs this suite against a
// fresh, empty store per test. LevelDB runs it in level-store.test.ts; PostgreSQL will too.
import { appendMessage, findMessage, messageText, readMessages } from "@junokit/doc-model";
import { afterEach, beforeEach, describe, expect, it, type TestContext } from "vitest";
import * as Y from "yjs";
import { ConflictError, type ConversationRecord, type PersonaRecord, type Store, type UserRecord } from "./types";

export interface StoreUnderTest {
  store: Store;
  /** Closes the current store and opens another one on the same data (a restart). */
  reopen?: () => Promise<Store>;
  /** Closes whichever store is open and removes its data. */
  cleanup: () => Promise<void>;
}

export function describeStoreContract(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`Store contract: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: Store;

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
    });
    afterEach(() => subject.cleanup());

    /** Restarts the store, or skips the test (visibly) when this store cannot restart. */
    async function restart(ctx: TestContext): Promise<void> {
      if (!subject.reopen) ctx.skip("this store cannot be reopened");
      else store = await subject.reopen();
    }

    describe("accounts", () => {
      it("STO-6 creates a user and finds it by id and by exact username", async () => {
        const alice = user("u1", "alice");
        await store.createUser(alice);
        expect(await store.getUserById("u1")).toEqual(alice);
        expect(await store.getUserByUsername("alice")).toEqual(alice);
        expect(await store.getUserByUsername("ALICE")).toBeNull();
        expect(await store.getUserById("nobody")).toBeNull();
        expect(await store.getUserByUsername("nobody")).toBeNull();
      });

      it("STO-6 a taken username throws ConflictError and keeps the first user", async () => {
        await store.createUser(user("u1", "alice"));
        await expect(store.createUser(user("u2", "alice"))).rejects.toBeInstanceOf(ConflictError);
        expect((await store.getUserByUsername("alice"))?.id).toBe("u1");
        expect(await store.getUserById("u2")).toBeNull();
      });

      it("STO-6 of concurrent creations of one username exactly one succeeds", async () => {
        const attempts = Array.from({ length: 10 }, (_, i) => user(`u${i}`, "bob"));
        const results = await Promise.allSettled(attempts.map((u) => store.createUser(u)));
        const winners = results.flatMap((r, i) => (r.status === "fulfilled" ? [attempts[i]!.id] : []));
        expect(winners).toHaveLength(1);
        for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(ConflictError);
        expect((await store.getUserByUsername("bob"))?.id).toBe(winners[0]);
      });
    });

    describe("workspaces", () => {
      it("STO-7 creating a workspace makes its creator the owner, seen from both sides", async () => {
        const ws = workspace("w1", "u1", 100);
        await store.createWorkspace(ws, "u1");
        expect(await store.getWorkspace("w1")).toEqual(ws);
        expect(await store.getWorkspace("w-none")).toBeNull();
        expect(await store.getRole("w1", "u1")).toBe("owner");
        expect(await store.listMembers("w1")).toEqual([{ workspaceId: "w1", userId: "u1", role: "owner" }]);
        expect(await store.listWorkspacesOf("u1")).toEqual([{ ...ws, role: "owner" }]);
      });

      it("STO-7 setMembership adds and changes roles in both directions, per workspace", async () => {
        await store.createWorkspace(workspace("w1", "u1", 100), "u1");
        await store.createWorkspace(workspace("w2", "u2", 200), "u2");
        await store.setMembership({ workspaceId: "w1", userId: "u2", role: "viewer" });
        await store.setMembership({ workspaceId: "w1", userId: "u2", role: "editor" });
        expect(await store.getRole("w1", "u2")).toBe("editor");
        expect(await store.getRole("w2", "u1")).toBeNull();
        const members = await store.listMembers("w1");
        expect(members.sort((a, b) => a.userId.localeCompare(b.userId))).toEqual([
          { workspaceId: "w1", userId: "u1", role: "owner" },
          { workspaceId: "w1", userId: "u2", role: "editor" },
        ]);
        const ofU2 = await store.listWorkspacesOf("u2");
        expect(ofU2.map((w) => [w.id, w.role])).toEqual([["w1", "editor"], ["w2", "owner"]]);
        expect(await store.listWorkspacesOf("u3")).toEqual([]);
      });

      it("STO-7 listWorkspacesOf lists the oldest workspace first", async () => {
        await store.createWorkspace(workspace("wb", "u1", 300), "u1");
        await store.createWorkspace(workspace("wa", "u1", 100), "u1");
        await store.createWorkspace(workspace("wc", "u1", 200), "u1");
        expect((await store.listWorkspacesOf("u1")).map((w) => w.id)).toEqual(["wa", "wc", "wb"]);
      });
    });

    describe("conversations", () => {
      it("STO-8 lists a workspace's conversations most recently updated first", async () => {
        await store.createConversation(conversation("w1", "c1", 10));
        await store.createConversation(conversation("w1", "c2", 30));
        await store.createConversation(conversation("w1", "c3", 20));
        await store.createConversation(conversation("w2", "c4", 40));
        expect((await store.listConversations("w1")).map((c) => c.id)).toEqual(["c2", "c3", "c1"]);
        await store.updateConversation("w1", "c1", { updatedAt: 50 });
        expect((await store.listConversations("w1")).map((c) => c.id)).toEqual(["c1", "c2", "c3"]);
        expect(await store.listConversations("w-empty")).toEqual([]);
      });

      it("STO-8 deleteConversation removes one record and leaves the others", async () => {
        await store.createConversation(conversation("w1", "c1", 10));
        await store.createConversation(conversation("w1", "c2", 20));
        await store.deleteConversation("w1", "c1");
        await store.deleteConversation("w1", "never-existed");
        expect(await store.getConversation("w1", "c1")).toBeNull();
        expect((await store.listConversations("w1")).map((c) => c.id)).toEqual(["c2"]);
      });

      it("STO-8 updateConversation patches only the given fields; a missing one stays missing", async () => {
        const c1 = conversation("w1", "c1", 10);
        await store.createConversation(c1);
        await store.updateConversation("w1", "c1", { title: "Renamed", persona: undefined });
        expect(await store.getConversation("w1", "c1")).toEqual({ ...c1, title: "Renamed" });
        await store.updateConversation("w1", "c1", { persona: "writer", updatedAt: 99 });
        expect(await store.getConversation("w1", "c1")).toEqual({ ...c1, title: "Renamed", persona: "writer", updatedAt: 99 });
        await store.updateConversation("w1", "c-none", { title: "x" });
        expect(await store.getConversation("w1", "c-none")).toBeNull();
        expect(await store.getConversation("w2", "c1")).toBeNull();
      });
    });

    describe("personas", () => {
      it("STO-12 putPersona creates and replaces whole; listPersonas is oldest first, per workspace", async () => {
        const tuned = persona("w1", "p1", 20, { model: "vendor/model-x", temperature: 0.3 });
        await store.putPersona(tuned);
        await store.putPersona(persona("w1", "p2", 10));
        await store.putPersona(persona("w2", "p3", 5));
        expect(await store.getPersona("w1", "p1")).toEqual(tuned);
        expect((await store.listPersonas("w1")).map((p) => p.id)).toEqual(["p2", "p1"]);
        const replaced = { ...persona("w1", "p1", 20), name: "Renamed", starters: [], updatedAt: 99 };
        await store.putPersona(replaced);
        // Replacing whole: the model and temperature left out are gone.
        expect(await store.getPersona("w1", "p1")).toEqual(replaced);
        expect(await store.listPersonas("w-empty")).toEqual([]);
      });

      it("STO-12 a persona is found only in its own workspace; deletePersona removes one", async () => {
        await store.putPersona(persona("w1", "p1", 1));
        await store.putPersona(persona("w1", "p2", 2));
        expect(await store.getPersona("w2", "p1")).toBeNull();
        await store.deletePersona("w2", "p1");
        await store.deletePersona("w1", "never-existed");
        await store.deletePersona("w1", "p1");
        expect(await store.getPersona("w1", "p1")).toBeNull();
        expect((await store.listPersonas("w1")).map((p) => p.id)).toEqual(["p2"]);
      });

      it("STO-12 personas survive a restart", async (ctx) => {
        const tuned = persona("w1", "p1", 1, { temperature: 0 });
        await store.putPersona(tuned);
        await restart(ctx);
        expect(await store.getPersona("w1", "p1")).toEqual(tuned);
      });
    });

    describe("documents", () => {
      it("STO-1 loads appended updates in append order, per document; [] when none", async () => {
        expect(await store.loadDocument("ws/w1/conv/c1")).toEqual([]);
        const updates = Array.from({ length: 25 }, (_, i) => new Uint8Array([i, i + 1, i + 2]));
        for (const u of updates) await store.appendUpdate("ws/w1/conv/c1", u);
        await store.appendUpdate("ws/w1/conv/c10", new Uint8Array([99]));
        await store.appendUpdate("ws/w1/conv/c1/x", new Uint8Array([98]));
        expect(bytes(await store.loadDocument("ws/w1/conv/c1"))).toEqual(bytes(updates));
        expect(bytes(await store.loadDocument("ws/w1/conv/c10"))).toEqual([[99]]);
      });

      it("STO-2 the log survives a restart and new appends follow the old ones", async (ctx) => {
        const writer = new EditingDoc();
        await store.appendUpdate("doc", writer.initial);
        for (let i = 0; i < 30; i++) await store.appendUpdate("doc", writer.edit());
        const before = bytes(await store.loadDocument("doc"));
        await restart(ctx);
        expect(bytes(await store.loadDocument("doc"))).toEqual(before);
        const after = [writer.edit(), writer.edit()];
        for (const u of after) await store.appendUpdate("doc", u);
        expect(bytes(await store.loadDocument("doc"))).toEqual([...before, ...bytes(after)]);
        expect(stateOf(await store.loadDocument("doc"))).toEqual(writer.state());
      });

      it("STO-2 appends after a compaction and a restart land after the snapshot", async (ctx) => {
        const writer = new EditingDoc();
        await store.appendUpdate("doc", writer.initial);
        for (let i = 0; i < 40; i++) await store.appendUpdate("doc", writer.edit());
        await store.compactDocument("doc");
        await restart(ctx);
        for (let i = 0; i < 5; i++) await store.appendUpdate("doc", writer.edit());
        const log = await store.loadDocument("doc");
        expect(log).toHaveLength(6);
        expect(stateOf(log)).toEqual(writer.state());
      });

      it("STO-3 compaction keeps the content of 1,200 random edits from two peers", async () => {
        const a = new EditingDoc();
        const b = new EditingDoc(a);
        await store.appendUpdate("doc", a.initial);
        for (let i = 0; i < 1200; i++) {
          const [from, to] = i % 3 === 0 ? [b, a] : [a, b];
          const update = from.edit();
          to.receive(update);
          await store.appendUpdate("doc", update);
        }
        await store.appendUpdate("doc", a.initial); // a duplicate, as a reconnecting client sends
        const before = stateOf(await store.loadDocument("doc"));
        await store.compactDocument("doc");
        const log = await store.loadDocument("doc");
        expect(log).toHaveLength(1);
        expect(stateOf(log)).toEqual(before);
        expect(textOf(log)).toBe(a.text());
        expect(textOf(log)).toBe(b.text());
      });

      it("STO-4 appends made while a compaction runs are all kept, in order", async () => {
        const writer = new EditingDoc();
        await store.appendUpdate("doc", writer.initial);
        for (let i = 0; i < 200; i++) await store.appendUpdate("doc", writer.edit());
        const racing = Array.from({ length: 100 }, () => writer.edit());
        const compaction = store.compactDocument("doc");
        await Promise.all([compaction, ...racing.map((u) => store.appendUpdate("doc", u))]);
        expect(stateOf(await store.loadDocument("doc"))).toEqual(writer.state());
        expect(textOf(await store.loadDocument("doc"))).toBe(writer.text());
        await store.compactDocument("doc");
        expect(textOf(await store.loadDocument("doc"))).toBe(writer.text());
      });

      it("STO-4 a failed compaction rejects and leaves the log as it was", async () => {
        const writer = new EditingDoc();
        const log = [writer.edit(), new Uint8Array([1, 2, 3]), writer.edit()]; // the middle one is not an update
        for (const u of log) await store.appendUpdate("doc", u);
        await expect(store.compactDocument("doc")).rejects.toThrow();
        expect(bytes(await store.loadDocument("doc"))).toEqual(bytes(log));
      });

      it("STO-5 documentSize sums the stored bytes; deleteDocument removes them all", async () => {
        expect(await store.documentSize("doc")).toBe(0);
        await store.appendUpdate("doc", new Uint8Array(10));
        await store.appendUpdate("doc", new Uint8Array(32));
        await store.appendUpdate("other", new Uint8Array(7));
        expect(await store.documentSize("doc")).toBe(42);
        await store.deleteDocument("doc");
        expect(await store.loadDocument("doc")).toEqual([]);
        expect(await store.documentSize("doc")).toBe(0);
        expect(await store.documentSize("other")).toBe(7);
        await store.appendUpdate("doc", new Uint8Array([5]));
        expect(bytes(await store.loadDocument("doc"))).toEqual([[5]]);
      });

      it("STO-5 after compaction documentSize is the size of the merged update", async () => {
        const writer = new EditingDoc();
        await store.appendUpdate("doc", writer.initial);
        for (let i = 0; i < 50; i++) await store.appendUpdate("doc", writer.edit());
        await store.compactDocument("doc");
        const [merged] = await store.loadDocument("doc");
        expect(await store.documentSize("doc")).toBe(merged!.byteLength);
      });
    });

    describe("claims", () => {
      it("STO-9 claimOnce is true for the first caller only", async () => {
        expect(await store.claimOnce("msg-1", "peer-a")).toBe(true);
        expect(await store.claimOnce("msg-1", "peer-a")).toBe(false);
        expect(await store.claimOnce("msg-1", "peer-b")).toBe(false);
        expect(await store.claimOnce("msg-2", "peer-b")).toBe(true);
      });

      it("STO-9 of 20 concurrent claims of one key exactly one wins", async () => {
        const results = await Promise.all(Array.from({ length: 20 }, (_, i) => store.claimOnce("msg-1", `peer-${i}`)));
        expect(results.filter(Boolean)).toHaveLength(1);
      });

      it("STO-9 a claim still holds after a restart", async (ctx) => {
        expect(await store.claimOnce("msg-1", "peer-a")).toBe(true);
        await restart(ctx);
        expect(await store.claimOnce("msg-1", "peer-b")).toBe(false);
        expect(await store.claimOnce("msg-2", "peer-b")).toBe(true);
      });
    });

    it("STO-10 ping resolves on an open store", async () => {
      await expect(store.ping()).resolves.toBeUndefined();
    });
  });
}

function user(id: string, username: string): UserRecord {
  return { id, username, displayName: username.toUpperCase(), passwordHash: `hash-of-${id}`, createdAt: 1 };
}

function workspace(id: string, createdBy: string, createdAt: number) {
  return { id, name: `Workspace ${id}`, createdBy, createdAt };
}

function conversation(workspaceId: string, id: string, updatedAt: number): ConversationRecord {
  return { id, workspaceId, title: `Chat ${id}`, persona: "dev", createdBy: "u1", createdAt: 1, updatedAt };
}

function persona(workspaceId: string, id: string, createdAt: number, extra: Partial<PersonaRecord> = {}): PersonaRecord {
  return {
    id, workspaceId, name: `Persona ${id}`, color: "#0f766e", systemPrompt: `You are ${id}.`, starters: ["Hello", "Plan…"],
    createdBy: "u1", createdAt, updatedAt: createdAt, ...extra,
  };
}

function bytes(updates: Uint8Array[]): number[][] {
  return updates.map((u) => Array.from(u));
}

function rebuild(log: Uint8Array[]): Y.Doc {
  const doc = new Y.Doc();
  for (const update of log) Y.applyUpdate(doc, update);
  return doc;
}

/** The full state of the document the log describes, as bytes. */
function stateOf(log: Uint8Array[]): number[] {
  return Array.from(Y.encodeStateAsUpdate(rebuild(log)));
}

function textOf(log: Uint8Array[]): string | undefined {
  return readMessages(rebuild(log))[0]?.text;
}

const MESSAGE_ID = "m1";
const ALPHABET = "abcdefghijklmnopqrstuvwxyz ";

/** A peer making random edits to the text of one message; each edit is one Yjs update. */
class EditingDoc {
  readonly doc = new Y.Doc();
  readonly initial: Uint8Array;
  private last: Uint8Array = new Uint8Array();

  /** Starts the message, or joins `peer`'s copy of it. `initial` is the update that made it. */
  constructor(peer?: EditingDoc) {
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin !== "remote") this.last = update;
    });
    if (peer) this.receive(peer.initial);
    else appendMessage(this.doc, { id: MESSAGE_ID, role: "user", authorId: "u1", authorName: "U", createdAt: 1 });
    this.initial = peer ? peer.initial : this.last;
  }

  edit(): Uint8Array {
    const text = messageText(findMessage(this.doc, MESSAGE_ID)!);
    const at = Math.floor(Math.random() * (text.length + 1));
    if (text.length > 20 && Math.random() < 0.3) text.delete(Math.min(at, text.length - 1), 1 + Math.floor(Math.random() * 3));
    else text.insert(at, ALPHABET[Math.floor(Math.random() * ALPHABET.length)]!.repeat(1 + Math.floor(Math.random() * 4)));
    return this.last;
  }

  receive(update: Uint8Array): void {
    Y.applyUpdate(this.doc, update, "remote");
  }

  text(): string {
    return messageText(findMessage(this.doc, MESSAGE_ID)!).toString();
  }

  state(): number[] {
    return Array.from(Y.encodeStateAsUpdate(this.doc));
  }
}
