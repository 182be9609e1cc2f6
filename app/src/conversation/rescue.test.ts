import { appendMessage, conversationDocName, messageList, notesFragment, notesJsonText, readMessages, readNotesJson, writeNotesJson, type NotesNode } from "@junokit/doc-model";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { CARRIED_NOTES_HEADING, rescueUnsent } from "./rescue";

const name = conversationDocName("w1", "c1");
const msg = (id: string, role: "user" | "assistant" = "user") => ({ id, role, authorId: role === "user" ? "u1" : "ai", authorName: "Ann", createdAt: 1, text: id });
const para = (text: string): NotesNode => ({ type: "paragraph", content: [{ type: "text", text }] });
const vector = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc));

describe("carrying unsent messages over a reset (OFF-RESET-3: nothing written offline is lost, nothing doubled)", () => {
  it("re-appends the person's unacknowledged messages once, after the server's content", () => {
    const stale = new Y.Doc();
    appendMessage(stale, msg("old-synced"));
    const acknowledged = new Set(messageList(stale).toArray());
    const known = vector(stale);
    appendMessage(stale, msg("offline-1"));
    appendMessage(stale, msg("offline-2"));
    const carry = rescueUnsent(name, stale, (t) => acknowledged.has(t as never), known)!;

    const fresh = new Y.Doc();
    appendMessage(fresh, msg("server-new"));
    expect(carry(fresh)).toBe("2 messages you wrote here were not on the server yet and have been sent again.");
    expect(readMessages(fresh).map((m) => m.id)).toEqual(["server-new", "offline-1", "offline-2"]);
    // A second tab carrying the same messages adds nothing.
    expect(carry(fresh)).toBeNull();
    expect(readMessages(fresh)).toHaveLength(3);
  });

  it("has nothing to carry when everything was acknowledged, or for other documents", () => {
    const doc = new Y.Doc();
    appendMessage(doc, msg("a"));
    writeNotesJson(doc, { type: "doc", content: [para("synced")] });
    expect(rescueUnsent(name, doc, () => true, vector(doc))).toBeNull();
    expect(rescueUnsent("ws/w1/index", doc, () => false, new Map())).toBeNull();
  });
});

describe("carrying unsent notes edits over a reset (OFF-RESET-4)", () => {
  function staleWithNotesEdits() {
    const stale = new Y.Doc();
    writeNotesJson(stale, { type: "doc", content: [para("agenda"), para("owner: Bob")] });
    const known = vector(stale);
    // Offline: a word typed into the second block and a new block.
    const owner = notesFragment(stale).get(1) as Y.XmlElement;
    (owner.get(0) as Y.XmlText).insert(10, " and Ann");
    stale.transact(() => notesFragment(stale).insert(2, [new Y.XmlElement("paragraph")]));
    ((notesFragment(stale).get(2) as Y.XmlElement).insert(0, [new Y.XmlText("written offline")]));
    return { stale, known };
  }

  it("OFF-RESET-4 adds the edited blocks at the end of the server's notes under a heading, once, and says so", () => {
    const { stale, known } = staleWithNotesEdits();
    const carry = rescueUnsent(name, stale, () => true, known)!;
    const fresh = new Y.Doc();
    writeNotesJson(fresh, { type: "doc", content: [para("imported again")] });
    expect(carry(fresh)).toBe("2 blocks of the notes you edited here were not on the server yet: they were added at the end of the notes, as you left them.");
    expect(readNotesJson(fresh).content).toEqual([para("imported again"), CARRIED_NOTES_HEADING, para("owner: Bob and Ann"), para("written offline")]);
    // Another tab carrying the same: nothing added twice.
    expect(carry(fresh)).toBeNull();
    expect(notesJsonText(readNotesJson(fresh)).split("\n")).toHaveLength(4);
  });

  it("OFF-RESET-4 blocks the fresh copy already holds exactly are not carried", () => {
    const { stale, known } = staleWithNotesEdits();
    const fresh = new Y.Doc();
    writeNotesJson(fresh, { type: "doc", content: [para("owner: Bob and Ann")] });
    expect(rescueUnsent(name, stale, () => true, known)!(fresh)).toBe(
      "1 block of the notes you edited here was not on the server yet: it was added at the end of the notes, as you left it.",
    );
    expect(readNotesJson(fresh).content).toEqual([para("owner: Bob and Ann"), CARRIED_NOTES_HEADING, para("written offline")]);
  });

  it("OFF-RESET-3 OFF-RESET-4 messages and notes together in one sentence each", () => {
    const { stale, known } = staleWithNotesEdits();
    appendMessage(stale, msg("offline"));
    const carried = rescueUnsent(name, stale, () => false, known)!(new Y.Doc());
    expect(carried).toBe(
      "1 message you wrote here was not on the server yet and has been sent again. 2 blocks of the notes you edited here were not on the server yet: they were added at the end of the notes, as you left them.",
    );
  });
});
