import { AI_AUTHOR_ID, builtInPersona, findMessage, readMessages, requestRegenerate, requestStop, writeMeta, writeNotesJson } from "@junokit/doc-model";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { streamOf, tokensOf } from "../support/openai-sse";
import { addMember, until, workspaceWithConversation, type Peer } from "../support/server";
import { aiPeerState, aiStage, message, open, replies, replyTo, say, settled, TEST_KEY, TEST_MODEL, untilPresence } from "./ai-support";

const stage = aiStage();

const DEV = builtInPersona("dev")!;

/** Resolves once `peer` has every change `other` has. */
function caughtUp(peer: Peer, other: Peer): Promise<void> {
  const wanted = Y.decodeStateVector(Y.encodeStateVector(other.doc));
  return until(peer.doc, () => {
    const have = Y.decodeStateVector(Y.encodeStateVector(peer.doc));
    return [...wanted].every(([client, clock]) => (have.get(client) ?? 0) >= clock);
  });
}

async function conversation() {
  const c = await workspaceWithConversation(stage.server.url);
  const alice = c.owner;
  const bob = await addMember(stage.server.url, alice, c.workspaceId, "editor");
  return { ...c, alice, bob };
}

describe("AI peer: streaming replies", () => {
  it("AI-1 AI-3 two peers watch one reply stream in; final text exact, done, model, replyTo; updates far below tokens", async () => {
    const c = await conversation();
    const a = await open(stage.server.wsUrl, c.docName, c.alice, stage.peers);
    const b = await open(stage.server.wsUrl, c.docName, c.bob, stage.peers);
    const answer = Array.from({ length: 120 }, (_, i) => `tok${i}é`).join(" ") + " — fin ✅";
    stage.sse.when("stream-two-peers", { steps: streamOf(answer, { delayMs: 3 }) });
    const updates: number[] = [];
    let counting = false;
    b.doc.on("update", () => {
      if (counting) updates.push(performance.now());
    });
    const asked = say(a, c.alice, "please stream-two-peers");
    await until(b.doc, () => !!replyTo(b, asked));
    counting = true;
    const done = await settled(b, asked);
    counting = false;
    await settled(a, asked);

    expect(done).toMatchObject({ role: "assistant", authorId: AI_AUTHOR_ID, authorName: DEV.name, status: "done", replyTo: asked, model: TEST_MODEL, text: answer });
    expect(done.error).toBeUndefined();
    expect(replyTo(a, asked)!.text).toBe(answer);
    const tokens = tokensOf(answer).length;
    expect(updates.length).toBeGreaterThan(1);
    expect(updates.length).toBeLessThan(tokens / 2);
    // The gap between writes (≥ MIN_WRITE_GAP_MS) is shown with fake timers in reply-writer.test.ts:
    // arrival times here are stretched and bunched by a loaded machine.
    const request = stage.sse.requestsFor("stream-two-peers")[0]!;
    expect(request.body).toMatchObject({ model: TEST_MODEL, stream: true });
    expect(request.headers.authorization).toBe(`Bearer ${TEST_KEY}`);
  });

  it("AI-3 the first token is written at once, before the rest arrives", async () => {
    const c = await conversation();
    const a = await open(stage.server.wsUrl, c.docName, c.alice, stage.peers);
    stage.sse.when("first-token", { steps: [{ content: "First" }, { gate: "first-token-rest" }, { content: " and the rest." }, { finish: "stop" }, { done: true }] });
    const asked = say(a, c.alice, "first-token please");
    await until(a.doc, () => replyTo(a, asked)?.text === "First");
    expect(replyTo(a, asked)!.status).toBe("streaming");
    stage.sse.release("first-token-rest");
    expect((await settled(a, asked)).text).toBe("First and the rest.");
  });

  it.each(["reasoning_content", "reasoning"] as const)("AI-1 reasoning deltas (%s) go to `reasoning`, content to `text`", async (field) => {
    const c = await conversation();
    const a = await open(stage.server.wsUrl, c.docName, c.alice, stage.peers);
    const marker = `think-${field}`;
    stage.sse.when(marker, { steps: streamOf("The answer is 4.", { reasoning: "Two plus two, carefully counted, is four.", reasoningField: field, delayMs: 1 }) });
    const asked = say(a, c.alice, `${marker}: what is 2+2?`);
    const done = await settled(a, asked);
    expect(done).toMatchObject({ status: "done", text: "The answer is 4.", reasoning: "Two plus two, carefully counted, is four." });
  });

  it("AI-2 the AI is in awareness with the persona's name and colour, typing while it writes, with its queue", async () => {
    const c = await conversation();
    const a = await open(stage.server.wsUrl, c.docName, c.alice, stage.peers);
    await untilPresence(a, (s) => s.user.id === AI_AUTHOR_ID && !s.typing);
    expect(aiPeerState(a)).toMatchObject({ user: { id: AI_AUTHOR_ID, name: DEV.name, color: DEV.color, kind: "ai" }, typing: false, ai: { model: TEST_MODEL, available: true, queue: [] } });
    stage.sse.when("presence-check", { steps: [{ content: "Typing…" }, { gate: "presence-check" }, { finish: "stop" }, { done: true }] });
    const asked = say(a, c.alice, "presence-check");
    await untilPresence(a, (s) => s.typing && s.ai.queue.length === 1);
    expect(aiPeerState(a)!.ai.queue).toEqual([{ messageId: asked, authorId: c.alice.user.id, authorName: c.alice.user.displayName, state: "answering" }]);
    stage.sse.release("presence-check");
    await untilPresence(a, (s) => !s.typing && s.ai.queue.length === 0);
    // The persona follows the conversation.
    writeMeta(a.doc, { persona: "ops" });
    await untilPresence(a, (s) => s.user.name === "Ops" && s.user.color === builtInPersona("ops")!.color);
  });

  it("AI-4 any editor's stop ends the reply within 500 ms, aborts the upstream request, keeps the text", async () => {
    const c = await conversation();
    const a = await open(stage.server.wsUrl, c.docName, c.alice, stage.peers);
    const b = await open(stage.server.wsUrl, c.docName, c.bob, stage.peers);
    stage.sse.when("stop-me", { steps: [...Array.from({ length: 400 }, (_, i) => ({ content: ` w${i}`, delayMs: 10 }))] });
    const asked = say(a, c.alice, "stop-me soon");
    await until(b.doc, () => (replyTo(b, asked)?.text.length ?? 0) > 20);
    const request = stage.sse.requestsFor("stop-me")[0]!;
    const stopAt = performance.now();
    const reply = findMessage(b.doc, replyTo(b, asked)!.id)!;
    b.doc.transact(() => requestStop(reply));
    const stopped = await settled(b, asked, 2000);
    const elapsed = performance.now() - stopAt;
    expect(stopped.status).toBe("stopped");
    expect(elapsed).toBeLessThan(500);
    expect(await request.ended).toMatchObject({ aborted: true });
    const sent = request.emitted.map((e) => e.text).join("");
    expect(sent.startsWith(stopped.text)).toBe(true);
    expect(stopped.text.length).toBeGreaterThan(20);
    await settled(a, asked);
    expect(replyTo(a, asked)!.text).toBe(stopped.text);
  });
});

describe("AI peer: who it answers", () => {
  it("AI-16 meta.ai `off` answers nothing, `mention` only @ai, `auto` everything", async () => {
    const c = await conversation();
    const a = await open(stage.server.wsUrl, c.docName, c.alice, stage.peers);
    writeMeta(a.doc, { ai: "off" });
    const ignoredOff = say(a, c.alice, "mode-check ignored while off");
    writeMeta(a.doc, { ai: "mention" });
    const ignoredMention = say(a, c.alice, "mode-check no mention here, email me@ai.example");
    const mentioned = say(a, c.alice, "mode-check hey @AI what now?");
    await settled(a, mentioned);
    writeMeta(a.doc, { ai: "auto" });
    const auto = say(a, c.alice, "mode-check plain message");
    await settled(a, auto);
    // Prompts are answered in order, so the skipped ones were decided before these finished.
    expect(replies(a, ignoredOff)).toEqual([]);
    expect(replies(a, ignoredMention)).toEqual([]);
    expect(replies(a, mentioned)).toHaveLength(1);
    expect(stage.sse.requestsFor("mode-check")).toHaveLength(2);
  });

  it("AI-7 AI-8 prompts queue one at a time in order; the queue is published; people cancel only their own", async () => {
    const c = await conversation();
    const carol = await addMember(stage.server.url, c.alice, c.workspaceId, "editor");
    const a = await open(stage.server.wsUrl, c.docName, c.alice, stage.peers);
    const b = await open(stage.server.wsUrl, c.docName, c.bob, stage.peers);
    const k = await open(stage.server.wsUrl, c.docName, carol, stage.peers);
    stage.sse.when("queue-alice", { steps: [{ content: "Alice, here" }, { gate: "queue-alice" }, { content: " you go." }, { finish: "stop" }, { done: true }] });
    stage.sse.when("queue-bob", { steps: streamOf("Bob, sure.") });
    const fromAlice = say(a, c.alice, "queue-alice first");
    await until(a.doc, () => replyTo(a, fromAlice)?.text === "Alice, here");
    const fromBob = say(b, c.bob, "queue-bob second");
    await untilPresence(a, (s) => s.ai.queue.length === 2);
    const fromCarol = say(k, carol, "queue-carol third");
    await untilPresence(a, (s) => s.ai.queue.length === 3);
    expect(aiPeerState(a)!.ai.queue.map((e) => [e.authorName, e.state])).toEqual([
      [c.alice.user.displayName, "answering"], [c.bob.user.displayName, "queued"], [carol.user.displayName, "queued"],
    ]);
    await until(a.doc, () => message(a, fromBob)?.pending === true && message(a, fromCarol)?.pending === true);
    // Only one request is upstream while Alice's reply streams.
    expect(stage.sse.requestsFor("queue-bob")).toHaveLength(0);

    // Bob may not cancel Carol's prompt: the server takes his stop back.
    const carolsMap = (p: Peer) => findMessage(p.doc, fromCarol)!;
    await until(b.doc, () => message(b, fromCarol)?.pending === true);
    b.doc.transact(() => requestStop(carolsMap(b)));
    await until(b.doc, () => message(b, fromCarol)?.stop !== true);
    expect(message(b, fromCarol)!.pending).toBe(true);
    // Carol cancels her own, once she has seen the take-back (a concurrent set would lose to it).
    await caughtUp(k, b);
    k.doc.transact(() => requestStop(carolsMap(k)));
    await untilPresence(a, (s) => s.ai.queue.length === 2);
    await until(a.doc, () => message(a, fromCarol)?.pending !== true);

    stage.sse.release("queue-alice");
    const bobs = await settled(a, fromBob);
    expect(bobs.text).toBe("Bob, sure.");
    expect(replyTo(a, fromAlice)!.text).toBe("Alice, here you go.");
    expect(message(a, fromBob)!.pending).toBeUndefined();
    // Bob's prompt saw Alice's question and the AI's answer to it, in that order, before his.
    const prompt = stage.sse.requestsFor("queue-bob")[0]!.body.messages!;
    expect(prompt.map((m) => m.role)).toEqual(["system", "user", "assistant", "user"]);
    expect(prompt[1]!.content).toBe(`[${c.alice.user.displayName}] queue-alice first`);
    expect(prompt[2]!.content).toBe("Alice, here you go.");
    expect(prompt[3]!.content).toBe(`[${c.bob.user.displayName}] queue-bob second`);
    expect(replies(a, fromCarol)).toEqual([]);
    expect(stage.sse.requestsFor("queue-carol")).toHaveLength(0);
    expect(stage.sse.requests.indexOf(stage.sse.requestsFor("queue-bob")[0]!)).toBeGreaterThan(stage.sse.requests.indexOf(stage.sse.requestsFor("queue-alice")[0]!));
  });

  it("AI-9 regenerate adds a new reply (retryOf) to the same message and keeps the old one", async () => {
    const c = await conversation();
    const a = await open(stage.server.wsUrl, c.docName, c.alice, stage.peers);
    let n = 0;
    stage.sse.when("regen-me", () => ({ steps: streamOf(`Take ${++n}.`) }));
    const asked = say(a, c.alice, "regen-me please");
    const first = await settled(a, asked);
    expect(first.text).toBe("Take 1.");
    const firstMap = findMessage(a.doc, first.id)!;
    a.doc.transact(() => requestRegenerate(firstMap));
    await until(a.doc, () => replies(a, asked).length === 2 && replies(a, asked)[1]!.status === "done");
    const [old, fresh] = replies(a, asked);
    expect(old).toMatchObject({ id: first.id, text: "Take 1.", status: "done" });
    expect(fresh).toMatchObject({ text: "Take 2.", retryOf: first.id, replyTo: asked, status: "done" });
    // The new prompt does not contain the answer it replaces.
    const prompt = stage.sse.requestsFor("regen-me")[1]!.body.messages!;
    expect(prompt.some((m) => m.content.includes("Take 1."))).toBe(false);
    expect(stage.sse.requestsFor("regen-me")).toHaveLength(2);
  });

  it("AI-10 edit-and-resend: a new message with editOf replaces the old one in the prompt; both stay visible", async () => {
    const c = await conversation();
    const a = await open(stage.server.wsUrl, c.docName, c.alice, stage.peers);
    stage.sse.when("edit-v1", { steps: streamOf("Answer to v1.") });
    stage.sse.when("edit-v2", { steps: streamOf("Answer to v2.") });
    const v1 = say(a, c.alice, "edit-v1 the wrong question");
    await settled(a, v1);
    const v2 = say(a, c.alice, "edit-v2 the right question", { editOf: v1 });
    expect((await settled(a, v2)).text).toBe("Answer to v2.");
    expect(message(a, v1)!.text).toBe("edit-v1 the wrong question");
    expect(replyTo(a, v1)!.text).toBe("Answer to v1.");
    const prompt = stage.sse.requestsFor("edit-v2")[0]!.body.messages!;
    expect(prompt.map((m) => m.role)).toEqual(["system", "user"]);
    expect(message(a, v1)!.context).toBe("dropped");
    expect(message(a, v2)!.context).toBe("in-context");
  });

  it("AI-11 the prompt carries the persona, who said what, and the notes", async () => {
    const c = await conversation();
    const a = await open(stage.server.wsUrl, c.docName, c.alice, stage.peers);
    const b = await open(stage.server.wsUrl, c.docName, c.bob, stage.peers);
    writeMeta(a.doc, { persona: "qa" });
    writeNotesJson(a.doc, { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Release date: March 3" }] }] });
    stage.sse.when("prompt-who-1", { steps: streamOf("Noted, Alice.") });
    const first = say(a, c.alice, "prompt-who-1 we ship Friday");
    await settled(a, first);
    const second = say(b, c.bob, "prompt-who-2 what did Alice say?");
    const reply = await settled(b, second);
    expect(reply.authorName).toBe("QA");
    const prompt = stage.sse.requestsFor("prompt-who-2")[0]!.body.messages!;
    expect(prompt[0]!.role).toBe("system");
    expect(prompt[0]!.content).toContain(builtInPersona("qa")!.systemPrompt);
    expect(prompt[0]!.content).toContain("Release date: March 3");
    expect(prompt.slice(1)).toEqual([
      { role: "user", content: `[${c.alice.user.displayName}] prompt-who-1 we ship Friday` },
      { role: "assistant", content: "Noted, Alice." },
      { role: "user", content: `[${c.bob.user.displayName}] prompt-who-2 what did Alice say?` },
    ]);
    expect(readMessages(a.doc).every((m) => m.id === reply.id || m.context === "in-context")).toBe(true);
  });
});
