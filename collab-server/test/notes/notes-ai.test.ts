// The AI as a co-editor of the shared notes (SPEC NOTE-*), against the real server and the
// local OpenAI-compatible endpoint: streaming with people typing elsewhere, the AI's caret,
// undo of one run, stop, and failures that leave the notes intact.
import {
  aiRunOf, findNoteEdit, notesFragment, notesJsonText, noteRunTexts, readNoteEdit, readNotesJson, requestNoteEdit,
  requestNoteEditStop, readNoteRunPresence, readPeer, undoNoteRun, writeNotesJson,
  type NoteAnchor, type NoteEdit, type NoteEditKind, type NotesNode,
} from "@junokit/doc-model";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import * as Y from "yjs";
import { aiServer, open } from "../ai/ai-support";
import { lastUserText, startOpenAiSse, streamOf, type OpenAiSse, type RecordedRequest } from "../support/openai-sse";
import { rm } from "node:fs/promises";
import { INTERRUPTED_NOTE_EDIT } from "../../src/notes-ai";
import { addMember, connect, tempDataDir, until, workspaceWithConversation, type Peer, type Session, type TestServer } from "../support/server";

let sse: OpenAiSse;
let server: TestServer;
const peers: Peer[] = [];

beforeAll(async () => {
  sse = await startOpenAiSse();
  server = await aiServer(sse);
});

afterEach(() => {
  peers.splice(0).forEach((p) => p.destroy());
});

afterAll(async () => {
  await server?.close();
  await sse?.close();
});

const p = (text: string): NotesNode => ({ type: "paragraph", content: text ? [{ type: "text", text }] : [] });
const plain = (peer: Peer) => notesJsonText(readNotesJson(peer.doc));
let counter = 0;

/** Ann (owner) and Bob (editor) in a fresh conversation whose chat AI is off; Ann writes the notes. */
async function twoPeople(...blocks: NotesNode[]) {
  const { owner, workspaceId, docName } = await workspaceWithConversation(server.url, { ai: "off" });
  const bobSession = await addMember(server.url, owner, workspaceId, "editor");
  const ann = await open(server.wsUrl, docName, owner, peers);
  const bob = await open(server.wsUrl, docName, bobSession, peers);
  writeNotesJson(ann.doc, { type: "doc", content: blocks });
  await ann.acknowledged();
  await until(bob.doc, () => plain(bob) === plain(ann));
  return { ann, bob, owner, bobSession };
}

/** The Y.XmlText of a top-level paragraph. */
function text(peer: Peer, block: number): Y.XmlText {
  return (notesFragment(peer.doc).get(block) as Y.XmlElement).get(0) as Y.XmlText;
}

/** A selection as y-prosemirror would send it: offsets in one paragraph, sticking left. */
function selection(peer: Peer, block: number, from: number, to: number): NoteAnchor {
  return {
    from: Y.createRelativePositionFromTypeIndex(text(peer, block), from, -1),
    to: Y.createRelativePositionFromTypeIndex(text(peer, block), to, -1),
  };
}

function ask(peer: Peer, who: Session, kind: NoteEditKind, anchor?: NoteAnchor, instruction = ""): string {
  const id = `note${++counter}x${Math.random().toString(36).slice(2, 8)}`;
  requestNoteEdit(peer.doc, {
    id, kind, instruction, requestedBy: who.user.id, requestedByName: who.user.displayName, createdAt: Date.now(), ...(anchor ? { anchor } : {}),
  });
  return id;
}

function edit(peer: Peer, id: string): NoteEdit | undefined {
  const map = findNoteEdit(peer.doc, id);
  return map ? readNoteEdit(map) : undefined;
}

async function settled(peer: Peer, id: string): Promise<NoteEdit> {
  await until(peer.doc, () => ["done", "stopped", "error"].includes(edit(peer, id)?.status ?? ""));
  return edit(peer, id)!;
}

/** The AI carets (awareness states with a `noteRun`) this peer sees. */
function aiCarets(peer: Peer) {
  return [...peer.awareness().getStates().values()]
    .map((state) => ({ peer: readPeer(state), run: readNoteRunPresence(state), cursor: (state as { cursor?: unknown }).cursor }))
    .filter((c) => c.run && c.peer?.user.kind === "ai");
}

function untilAwareness(peer: Peer, predicate: () => boolean): Promise<void> {
  const awareness = peer.awareness();
  return new Promise((resolve, reject) => {
    const check = () => {
      if (!predicate()) return;
      clearTimeout(timer);
      awareness.off("change", check);
      resolve();
    };
    const timer = setTimeout(() => reject(new Error("awareness condition not reached in time")), 10_000);
    awareness.on("change", check);
    check();
  });
}

function plainOf(t: Y.XmlText): string {
  return (t.toDelta() as { insert: string }[]).map((op) => op.insert).join("");
}

/** Where an awareness `cursor.head` (relative position JSON) points in this peer's copy. */
function caretIndex(peer: Peer, cursor: unknown): number | null {
  const head = (cursor as { head?: unknown } | undefined)?.head;
  if (!head) return null;
  const abs = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(head), peer.doc);
  return abs && abs.type instanceof Y.XmlText ? abs.index : null;
}

/** Types `words` one character per transaction at the end of a paragraph. */
async function typeInto(peer: Peer, block: number, words: string): Promise<void> {
  for (const ch of words) {
    text(peer, block).insert(text(peer, block).length, ch);
    await new Promise((r) => setImmediate(r));
  }
}

describe("the AI co-edits the notes (NOTE-3, NOTE-4, NOTE-5)", () => {
  it("NOTE-3/4/5: streams a rewrite at the selection with its caret while Bob types elsewhere; the original goes on completion; both converge", async () => {
    const { ann, bob, owner } = await twoPeople(p("This is a rough draft."), p("Bob:"), p("Tail"));
    sse.when("rough draft", { steps: [{ content: "polished" }, { content: " text" }, { gate: "rewrite" }, { content: " indeed" }, { finish: "stop" }, { done: true }] }, { once: true });
    const id = ask(ann, owner, "rewrite", selection(ann, 0, 10, 21));

    // Mid-stream: everyone sees the text arrive after the selection (still there) and the AI's caret.
    await until(bob.doc, () => plain(bob).startsWith("This is a rough draftpolished text."));
    // The caret is where y-prosemirror looks for it: `cursor.head` right after the AI's last character.
    const afterAiText = () => plainOf(text(bob, 0)).indexOf("polished text") + "polished text".length;
    await untilAwareness(bob, () => aiCarets(bob).some((c) => c.run?.id === id && caretIndex(bob, c.cursor) === afterAiText()));
    expect(aiCarets(bob).find((c) => c.run?.id === id)).toMatchObject({ peer: { user: { id: "ai", name: "Dev", kind: "ai" } }, run: { requestedByName: owner.user.displayName } });
    expect(edit(bob, id)).toMatchObject({ status: "streaming", persona: "dev", model: "test/model-r1" });
    await typeInto(bob, 1, " hello from Bob");
    sse.release("rewrite");
    await typeInto(bob, 1, "!");

    expect(await settled(ann, id)).toMatchObject({ status: "done" });
    await bob.acknowledged();
    await until(ann.doc, () => plain(ann) === plain(bob));
    await until(bob.doc, () => edit(bob, id)?.status === "done");
    expect(plain(ann)).toBe("This is a polished text indeed.\nBob: hello from Bob!\nTail");
    expect(plain(bob)).toBe(plain(ann));
    expect(noteRunTexts(bob.doc).get(id)).toBe("polished text indeed");
    const spans = (text(bob, 0).toDelta() as { insert: string; attributes?: Record<string, unknown> }[]).map((op) => [op.insert, aiRunOf(op.attributes)]);
    expect(spans).toEqual([
      ["This is a ", null],
      ["polished text indeed", { runId: id, persona: "dev", requestedBy: owner.user.id }],
      [".", null],
    ]);
    // The caret leaves with the run.
    await untilAwareness(bob, () => aiCarets(bob).every((c) => c.run?.id !== id));
  });

  it("NOTE-3: coalesces a fast stream into few document updates and writes every token", async () => {
    const { ann, bob, owner } = await twoPeople(p("Count:"));
    const words = Array.from({ length: 300 }, (_, i) => `w${i}`).join(" ");
    sse.when("Count:", { steps: streamOf(` ${words}`) }, { once: true });
    let updates = 0;
    bob.doc.on("update", () => updates++);
    const id = ask(ann, owner, "continue", selection(ann, 0, 6, 6));
    expect(await settled(bob, id)).toMatchObject({ status: "done" });
    expect(plain(bob)).toBe(`Count: ${words}`);
    // 300 deltas; at most one write per 33 ms plus the final one (and the request's own status changes).
    expect(updates).toBeLessThan(30);
  });

  it("NOTE-3: turns the conversation into action items at the end of the notes, as a task list", async () => {
    const { ann, bob, owner } = await twoPeople(p("Notes"));
    sse.when((r) => r.body.messages?.[1]?.content.startsWith("Extract the action items") ?? false, { steps: streamOf("- [ ] Ship the beta — Ann\n- [x] Book the room — Bob") }, { once: true });
    const id = ask(ann, owner, "action-items");
    expect(await settled(bob, id)).toMatchObject({ status: "done" });
    expect(readNotesJson(bob.doc).content!.map((n) => n.type)).toEqual(["paragraph", "taskList"]);
    expect(plain(bob)).toBe("Notes\nShip the beta — Ann\nBook the room — Bob");
    expect(readNotesJson(bob.doc).content![1]!.content!.map((item) => item.attrs?.checked)).toEqual([false, true]);
  });
});

describe("several runs at once (NOTE-2, NOTE-5)", () => {
  it("NOTE-5: two requests stream at the same time, each with its own AI caret, each once", async () => {
    const { ann, bob, owner, bobSession } = await twoPeople(p("First"), p("Second"));
    const endsWith = (words: string) => (r: RecordedRequest) => lastUserText(r).endsWith(words);
    sse.when(endsWith("First"), { steps: [{ content: " one" }, { gate: "one" }, { content: " done" }, { finish: "stop" }, { done: true }] }, { once: true });
    sse.when(endsWith("Second"), { steps: [{ content: " two" }, { gate: "two" }, { content: " done" }, { finish: "stop" }, { done: true }] }, { once: true });
    const a = ask(ann, owner, "continue", selection(ann, 0, 5, 5));
    const b = ask(bob, bobSession, "continue", selection(bob, 1, 6, 6));
    await untilAwareness(ann, () => aiCarets(ann).filter((c) => c.run?.id === a || c.run?.id === b).length === 2);
    expect(aiCarets(ann).map((c) => c.run?.requestedByName).sort()).toEqual([owner.user.displayName, bobSession.user.displayName].sort());
    sse.release("one");
    sse.release("two");
    await settled(ann, a);
    await settled(ann, b);
    await until(ann.doc, () => plain(ann) === "First one done\nSecond two done");
    expect(sse.requests.filter(endsWith("First")).length).toBe(1);
    expect(sse.requests.filter(endsWith("Second")).length).toBe(1);
  });
});

describe("undo of one AI run (NOTE-6)", () => {
  it("NOTE-6: Bob undoes Ann's AI run after people edited around and inside it; exactly its text goes, for everyone", async () => {
    const { ann, bob, owner, bobSession } = await twoPeople(p("Keep me"), p("And me"));
    sse.when("And me", { steps: streamOf(" and more") }, { once: true });
    const first = ask(ann, owner, "continue", selection(ann, 1, 6, 6));
    expect(await settled(ann, first)).toMatchObject({ status: "done" });
    sse.when((r) => r.body.messages?.[1]?.content.startsWith("Turn this conversation") ?? false, { steps: streamOf("## Summary\n- one point\n- two points") }, { once: true });
    const second = ask(ann, owner, "notes-from-chat");
    expect(await settled(ann, second)).toMatchObject({ status: "done" });
    await until(bob.doc, () => plain(bob) === "Keep me\nAnd me and more\nSummary\none point\ntwo points").catch((e) => { throw new Error(`${e.message}: ${JSON.stringify(plain(bob))} ${JSON.stringify(edit(bob, second))}`); });

    // People edit around the first run and inside the second run's list. Like the editor, they
    // pass their own (no) formatting: a bare Yjs insert would inherit the AI's mark.
    text(bob, 1).insert(text(bob, 1).length, " (Bob)", {});
    text(ann, 0).insert(0, "> ");
    const list = notesFragment(bob.doc).get(3) as Y.XmlElement;
    const item = ((list.get(0) as Y.XmlElement).get(0) as Y.XmlElement).get(0) as Y.XmlText;
    item.insert(item.length, " + Bob's note", {});
    await Promise.all([ann.acknowledged(), bob.acknowledged()]);
    await until(ann.doc, () => plain(ann) === plain(bob) && plain(ann).includes("(Bob)") && plain(ann).includes("Bob's note"));

    expect(undoNoteRun(bob.doc, second, bobSession.user.id)).toBe(true);
    await bob.acknowledged();
    const expected = "> Keep me\nAnd me and more (Bob)\n + Bob's note";
    await until(ann.doc, () => plain(ann) === expected);
    expect(plain(bob)).toBe(expected);
    expect(readNotesJson(ann.doc).content!.map((n) => n.type)).toEqual(["paragraph", "paragraph", "bulletList"]);
    expect(edit(ann, second)).toMatchObject({ undone: true, undoneBy: bobSession.user.id });
    expect(noteRunTexts(ann.doc).get(first)).toBe(" and more");

    undoNoteRun(ann.doc, first, owner.user.id);
    await until(bob.doc, () => plain(bob) === "> Keep me\nAnd me (Bob)\n + Bob's note");
  });
});

describe("stop and failures (NOTE-7, NOTE-8)", () => {
  it("NOTE-7: a stop aborts the stream within 500 ms; a stopped rewrite leaves the selection as it was", async () => {
    const { ann, bob, owner } = await twoPeople(p("Alpha beta gamma"));
    sse.when("beta", { steps: [{ content: "BETA" }, { content: " streaming" }, { stall: true }] }, { once: true });
    const id = ask(ann, owner, "rewrite", selection(ann, 0, 6, 10));
    await until(bob.doc, () => plain(bob) === "Alpha betaBETA streaming gamma");
    const request = await sse.nextRequest((r) => r.body.messages?.[1]?.content.includes("beta") ?? false);
    const stoppedAt = performance.now();
    requestNoteEditStop(findNoteEdit(bob.doc, id)!);
    const ended = await request.ended;
    expect(ended.aborted).toBe(true);
    expect(ended.at - stoppedAt).toBeLessThan(500);
    expect(await settled(ann, id)).toMatchObject({ status: "stopped" });
    await until(bob.doc, () => edit(bob, id)?.status === "stopped");
    expect(plain(ann)).toBe("Alpha beta gamma");
    expect(plain(bob)).toBe("Alpha beta gamma");
  });

  it("NOTE-7: a stopped continuation keeps what it wrote", async () => {
    const { ann, bob, owner } = await twoPeople(p("Start"));
    sse.when("Start", { steps: [{ content: " and then" }, { stall: true }] }, { once: true });
    const id = ask(ann, owner, "continue", selection(ann, 0, 5, 5));
    await until(bob.doc, () => plain(bob) === "Start and then");
    requestNoteEditStop(findNoteEdit(ann.doc, id)!);
    expect(await settled(bob, id)).toMatchObject({ status: "stopped" });
    expect(plain(bob)).toBe("Start and then");
    expect(noteRunTexts(bob.doc).get(id)).toBe(" and then");
  });

  it("NOTE-8: a failure mid-stream removes what the run wrote and says what went wrong", async () => {
    const { ann, bob, owner } = await twoPeople(p("Before"), p("Fix me plz"), p("After"));
    sse.when("Fix me plz", { steps: [{ content: "Fixed" }, { content: " partly" }, { gate: "fail" }, { error: { message: "upstream exploded" } }] }, { once: true });
    const id = ask(ann, owner, "fix-grammar", selection(ann, 1, 0, 10));
    await until(bob.doc, () => plain(bob).includes("Fixed partly"));
    await typeInto(bob, 2, " (Bob)");
    sse.release("fail");
    const failed = await settled(ann, id);
    expect(failed.status).toBe("error");
    expect(failed.error).toMatch(/upstream exploded|AI endpoint/i);
    await bob.acknowledged();
    await until(ann.doc, () => plain(ann) === "Before\nFix me plz\nAfter (Bob)");
    expect(plain(bob)).toBe("Before\nFix me plz\nAfter (Bob)");
    expect(noteRunTexts(ann.doc).has(id)).toBe(false);
  });

  it("NOTE-8: an endpoint that refuses leaves the notes intact and the request in error", async () => {
    const { ann, owner } = await twoPeople(p("Untouched"));
    sse.when("Untouched", { status: 401 }, { once: true });
    const id = ask(ann, owner, "shorten", selection(ann, 0, 0, 9));
    const failed = await settled(ann, id);
    expect(failed.status).toBe("error");
    expect(failed.error).toBeTruthy();
    expect(failed.error).not.toContain("sk-test");
    expect(plain(ann)).toBe("Untouched");
  });
});

describe("shutdown (NOTE-8)", () => {
  it("NOTE-8: a server shutdown mid-run removes the run's text and marks it interrupted, also after a restart", async () => {
    const dataDir = await tempDataDir();
    const first = await aiServer(sse, {}, { dataDir });
    try {
      const { owner, docName } = await workspaceWithConversation(first.url, { ai: "off" });
      const ann = await open(first.wsUrl, docName, owner, peers);
      writeNotesJson(ann.doc, { type: "doc", content: [p("Stable text")] });
      await ann.acknowledged();
      sse.when("Stable text", { steps: [{ content: " half" }, { stall: true }] }, { once: true });
      const id = ask(ann, owner, "continue", selection(ann, 0, 11, 11));
      await until(ann.doc, () => plain(ann) === "Stable text half");
      ann.destroy();
      await first.close({ keepData: true });

      const second = await aiServer(sse, {}, { dataDir });
      try {
        const again = connect(second.wsUrl, docName, owner.token);
        peers.push(again);
        await again.synced;
        expect(plain(again)).toBe("Stable text");
        expect(edit(again, id)).toMatchObject({ status: "error", error: INTERRUPTED_NOTE_EDIT });
      } finally {
        peers.splice(0).forEach((peer) => peer.destroy());
        await second.close({ keepData: true });
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
