// A prompt written offline reaches the server after others wrote: the AI's reply records that
// the conversation moved on (SPEC AI-17) and its prompt says so (AI-18). "Offline" is a copy
// of Alice's document that misses Bob's messages, merged into her live connection later.
import { appendMessage, readMessages } from "@junokit/doc-model";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { streamOf } from "../support/openai-sse";
import { addMember, until, workspaceWithConversation, type Peer } from "../support/server";
import { aiStage, message, open, replies, replyTo, say, settled } from "./ai-support";

const stage = aiStage();

async function conversation() {
  const c = await workspaceWithConversation(stage.server.url);
  const bob = await addMember(stage.server.url, c.owner, c.workspaceId, "editor");
  const a = await open(stage.server.wsUrl, c.docName, c.owner, stage.peers);
  const b = await open(stage.server.wsUrl, c.docName, bob, stage.peers);
  return { ...c, alice: c.owner, bob, a, b };
}

/** Alice's device goes offline: a copy of what she has, written to without the server. */
function goOffline(peer: Peer, clientID: number): Y.Doc {
  const offline = new Y.Doc();
  offline.clientID = clientID;
  Y.applyUpdate(offline, Y.encodeStateAsUpdate(peer.doc));
  return offline;
}

/** Back online: what the device wrote reaches the server through her connection. */
function reconnect(offline: Y.Doc, peer: Peer): void {
  Y.applyUpdate(peer.doc, Y.encodeStateAsUpdate(offline, Y.encodeStateVector(peer.doc)));
}

describe("AI peer: a prompt the conversation moved on from", () => {
  // Yjs orders concurrent inserts by client id: the lowest and highest ids put Alice's
  // offline question before, then after, Bob's messages in every copy.
  for (const [placement, clientID] of [["before", 1], ["after", 0xfffffff0]] as const) {
    it(`AI-17 AI-18 a prompt written offline and merged ${placement} what others wrote meanwhile: the reply records it and the prompt says so`, async () => {
      const c = await conversation();
      const tag = `moved-${placement}`;
      stage.sse.when(`${tag} seen`, { steps: streamOf("Seen it.") });
      stage.sse.when(`${tag} bob`, { steps: streamOf("Bob, noted.") });
      stage.sse.when(`${tag} question`, { steps: streamOf("Taking Bob's news into account: yes.") });
      const seen = say(c.a, c.alice, `${tag} seen before going offline`);
      await settled(c.a, seen);

      const offline = goOffline(c.a, clientID);
      const askedAt = Date.now();
      const questionId = `${tag}-q`;
      appendMessage(offline, {
        id: questionId, role: "user", authorId: c.alice.user.id, authorName: c.alice.user.displayName, createdAt: askedAt, text: `${tag} question: still Friday?`,
      });
      // Meanwhile Bob writes twice and the AI answers him (the conversation is in `auto`).
      const fromBob = [say(c.b, c.bob, `${tag} bob one`), say(c.b, c.bob, `${tag} bob two`)];
      for (const id of fromBob) await settled(c.b, id);
      await until(c.a.doc, () => fromBob.every((id) => replyTo(c.a, id)?.status === "done"));
      const before = stage.sse.requests.length;

      reconnect(offline, c.a);
      const reply = await settled(c.b, questionId);
      expect(reply).toMatchObject({ status: "done", text: "Taking Bob's news into account: yes." });
      const ids = readMessages(c.b.doc).map((m) => m.id);
      expect(ids.indexOf(questionId) < ids.indexOf(fromBob[0]!)).toBe(placement === "before");
      // Bob's two messages and the AI's two answers came in unseen.
      const movedOn = { count: 4, askedAt, askedBy: c.alice.user.displayName };
      expect(reply.movedOn).toEqual(movedOn);
      await until(c.a.doc, () => replyTo(c.a, questionId)?.status === "done");
      expect(replyTo(c.a, questionId)!.movedOn).toEqual(movedOn);

      const asked = stage.sse.requestsFor(`${tag} question`);
      expect(asked).toHaveLength(1);
      expect(stage.sse.requests.length - before).toBe(1);
      const prompt = asked[0]!.body.messages!;
      const last = prompt.at(-1)!;
      expect(last.role).toBe("user");
      const hhmm = new Date(askedAt).toISOString().slice(11, 16);
      expect(last.content).toContain(`the next message was written by "${c.alice.user.displayName}" at ${hhmm} UTC, before the 4 messages just above it`);
      expect(last.content.endsWith(`[${c.alice.user.displayName}] ${tag} question: still Friday?`)).toBe(true);
      // The later messages come after the ones Alice had seen, Bob's answered in turn.
      const text = prompt.slice(1).map((m) => `${m.role}: ${m.content}`).join("\n");
      const order = [`${tag} seen before going offline`, "Seen it.", `${tag} bob one`, "Bob, noted.", `${tag} bob two`, "Note from JunoKit", `${tag} question`];
      const positions = order.map((s) => text.indexOf(s));
      expect(positions.every((p) => p >= 0)).toBe(true);
      expect([...positions].sort((x, y) => x - y)).toEqual(positions);
      expect(message(c.b, fromBob[1]!)!.context).toBe("in-context");
    });
  }

  it("AI-17 no note and no remark in the prompt when nothing came in after the question", async () => {
    const c = await conversation();
    stage.sse.when("moved-none", { steps: streamOf("Plain answer.") });
    const first = say(c.a, c.alice, "moved-none first");
    await settled(c.a, first);
    const question = say(c.b, c.bob, "moved-none second, having seen the answer");
    const reply = await settled(c.b, question);
    expect(reply.text).toBe("Plain answer.");
    expect(reply.movedOn).toBeUndefined();
    expect(replies(c.a, first)[0]!.movedOn).toBeUndefined();
    const prompt = stage.sse.requestsFor("moved-none second")[0]!.body.messages!;
    expect(prompt.some((m) => m.content.includes("Note from JunoKit"))).toBe(false);
    expect(prompt.at(-1)!.content).toBe(`[${c.bob.user.displayName}] moved-none second, having seen the answer`);
  });
});
