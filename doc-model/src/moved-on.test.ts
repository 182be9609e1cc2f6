import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { appendMessage, findMessage, messageId, messageList, readMessage, readMessages, type MessageMap } from "./conversation";
import { setMovedOn, unseenWhenWritten } from "./moved-on";

function say(doc: Y.Doc, id: string, extra: { role?: "user" | "assistant"; replyTo?: string; createdAt?: number } = {}): MessageMap {
  const ai = extra.role === "assistant";
  return appendMessage(doc, { id, role: "user", authorId: ai ? "ai" : "u", authorName: ai ? "Dev" : "Ann", createdAt: extra.createdAt ?? 1, text: id, ...extra });
}

function docWithClient(clientID: number): Y.Doc {
  const doc = new Y.Doc();
  doc.clientID = clientID;
  return doc;
}

function sync(a: Y.Doc, b: Y.Doc): void {
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)));
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)));
}

const unseen = (doc: Y.Doc, id: string) => unseenWhenWritten(doc, findMessage(doc, id)!).map(messageId);
const order = (doc: Y.Doc) => readMessages(doc).map((m) => m.id);

describe("unseenWhenWritten (SPEC AI-17)", () => {
  it("AI-17 in one copy: every message appended after it, not the ones before, not its own replies", () => {
    const doc = new Y.Doc();
    for (const id of ["a", "q", "b"]) say(doc, id);
    say(doc, "rq", { role: "assistant", replyTo: "q" });
    say(doc, "ra", { role: "assistant", replyTo: "a" });
    say(doc, "c");
    expect(unseen(doc, "q")).toEqual(["b", "ra", "c"]);
    expect(unseen(doc, "a")).toEqual(["q", "b", "rq", "c"]);
    expect(unseen(doc, "c")).toEqual([]);
  });

  it("AI-17 the first message of a conversation was written having seen nothing", () => {
    const doc = new Y.Doc();
    say(doc, "first");
    say(doc, "r", { role: "assistant", replyTo: "first" });
    say(doc, "second");
    expect(unseen(doc, "first")).toEqual(["second"]);
  });

  for (const [annClient, bobClient] of [[1, 2], [2, 1]] as const) {
    it(`AI-17 an offline message merged ${annClient < bobClient ? "before" : "after"} concurrent ones: the same unseen messages whichever side Yjs puts it`, () => {
      const ann = docWithClient(annClient);
      const bob = docWithClient(bobClient);
      say(ann, "seen", { createdAt: 100 });
      sync(ann, bob);
      // Ann is offline: her question has the earliest clock, Bob's messages come later.
      say(ann, "question", { createdAt: 200 });
      say(bob, "b1", { createdAt: 300 });
      say(bob, "b2", { createdAt: 400 });
      sync(ann, bob);
      expect(order(ann)).toEqual(order(bob));
      const questionAt = order(ann).indexOf("question");
      expect(questionAt).toBe(annClient < bobClient ? 1 : 3);
      for (const doc of [ann, bob]) {
        expect(unseen(doc, "question")).toEqual(["b1", "b2"]);
        // Bob had not seen Ann's question either, nor b2 when he wrote b1.
        expect(unseen(doc, "b1").sort()).toEqual(["b2", "question"]);
        expect(unseen(doc, "seen").sort()).toEqual(["b1", "b2", "question"]);
      }
    });
  }

  it("AI-17 device clocks play no part: a message written earlier by the clock but unseen counts, a later one seen does not", () => {
    const ann = docWithClient(5);
    const bob = docWithClient(6);
    say(bob, "seen-but-later-clock", { createdAt: 9_000 });
    sync(ann, bob);
    say(ann, "question", { createdAt: 1_000 });
    say(bob, "unseen-earlier-clock", { createdAt: 500 });
    sync(ann, bob);
    expect(unseen(ann, "question")).toEqual(["unseen-earlier-clock"]);
  });

  it("AI-17 the message it followed may have been deleted since", () => {
    const doc = new Y.Doc();
    say(doc, "gone");
    say(doc, "question");
    say(doc, "after");
    doc.transact(() => messageList(doc).delete(0, 1));
    expect(unseen(doc, "question")).toEqual(["after"]);
  });

  it("AI-17 a message outside the list is never given a note", () => {
    const doc = new Y.Doc();
    say(doc, "a");
    expect(unseenWhenWritten(doc, new Y.Map())).toEqual([]);
  });

  it("AI-17 the note is stored on the reply and read back; malformed values are ignored", () => {
    const doc = new Y.Doc();
    const reply = say(doc, "r", { role: "assistant", replyTo: "q" });
    setMovedOn(reply, { count: 3, askedAt: 1234, askedBy: "Ann" });
    expect(readMessage(reply).movedOn).toEqual({ count: 3, askedAt: 1234, askedBy: "Ann" });
    for (const bad of [3, "x", { count: 0 }, { count: 1.5 }, null]) {
      reply.set("movedOn", bad);
      expect(readMessage(reply).movedOn).toBeUndefined();
    }
  });
});
