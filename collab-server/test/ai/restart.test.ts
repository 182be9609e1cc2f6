import { findMessage, setPending, writeMeta } from "@junokit/doc-model";
import { rm } from "node:fs/promises";
import { join } from "node:path";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { INTERRUPTED_BEFORE_START } from "../../src/ai";
import { openLevelStore } from "../../src/storage";
import { startOpenAiSse, streamOf, type OpenAiSse } from "../support/openai-sse";
import {
  api, register, spawnServerProcess, startTestServer, tempDataDir, until, workspaceWithConversation, type Peer,
} from "../support/server";
import { aiServer, message, open, replies, replyTo, say, settled, TEST_KEY, TEST_MODEL, untilPresence } from "./ai-support";

let sse: OpenAiSse;
const peers: Peer[] = [];

beforeAll(async () => {
  sse = await startOpenAiSse();
});
afterAll(async () => {
  peers.forEach((p) => p.destroy());
  await sse?.close();
});

describe("AI peer: exactly once across restarts", () => {
  it("AI-6 AI-7 a graceful restart on the same data dir: queued prompts are answered once, answered ones never again", async () => {
    const dataDir = await tempDataDir();
    sse.when("restart-one", { steps: streamOf("One, answered.") });
    sse.when("restart-hold", { steps: [{ content: "Half" }, { gate: "never" }] });
    sse.when("restart-two", { steps: streamOf("Two, answered after the restart.") });

    const first = await aiServer(sse, {}, { dataDir });
    const c = await workspaceWithConversation(first.url);
    let a = await open(first.wsUrl, c.docName, c.owner, peers);
    const one = say(a, c.owner, "restart-one");
    await settled(a, one);
    const held = say(a, c.owner, "restart-hold");
    await until(a.doc, () => replyTo(a, held)?.text === "Half");
    const two = say(a, c.owner, "restart-two");
    await until(a.doc, () => message(a, two)?.pending === true);
    // A stale queue flag on an answered prompt must not buy it a second answer.
    a.doc.transact(() => setPending(findMessage(a.doc, one)!, true));
    await a.acknowledged();
    const heldRequest = sse.requestsFor("restart-hold")[0]!;
    await first.close({ keepData: true });
    expect(await heldRequest.ended).toMatchObject({ aborted: true });
    a.destroy();

    const second = await aiServer(sse, {}, { dataDir });
    try {
      a = await open(second.wsUrl, c.docName, c.owner, peers);
      expect(replyTo(a, held)).toMatchObject({ status: "error", text: "Half" });
      expect(replyTo(a, held)!.error).toMatch(/^Interrupted: the server shut down/);
      const answered = await settled(a, two);
      expect(answered).toMatchObject({ status: "done", text: "Two, answered after the restart.", model: TEST_MODEL });
      await until(a.doc, () => message(a, one)?.pending !== true);
      expect(replies(a, one)).toHaveLength(1);
      expect(replies(a, held)).toHaveLength(1);
      expect(replies(a, two)).toHaveLength(1);
      expect(sse.requestsFor("restart-one")).toHaveLength(1);
      expect(sse.requestsFor("restart-hold")).toHaveLength(1);
      expect(sse.requestsFor("restart-two")).toHaveLength(1);
    } finally {
      await second.close();
    }
  });

  it("AI-6 AI-15 a reply cut by kill -9 is marked interrupted after restart, not answered again; the key is in no log or document", async () => {
    const dataDir = await tempDataDir();
    sse.when("kill-me", { steps: [{ content: "Alpha" }, { content: " beta", delayMs: 40 }, { content: " gamma", delayMs: 40 }, { gate: "kill-me" }] });
    sse.when("echo-key", { status: 401, body: JSON.stringify({ error: { message: `bad key ${TEST_KEY}` } }) });
    const env = { AI_BASE_URL: sse.baseUrl, AI_API_KEY: TEST_KEY, AI_MODEL: TEST_MODEL, LOG_LEVEL: "debug" };
    const child = await spawnServerProcess(dataDir, env);
    let restarted: Awaited<ReturnType<typeof startTestServer>> | undefined;
    try {
      const c = await workspaceWithConversation(child.url);
      let a = await open(child.wsUrl, c.docName, c.owner, peers);
      const failing = say(a, c.owner, "echo-key please");
      expect((await settled(a, failing)).error).toContain("[redacted]");
      const asked = say(a, c.owner, "kill-me now");
      await until(a.doc, () => replyTo(a, asked)?.text === "Alpha beta gamma");
      const request = sse.requestsFor("kill-me")[0]!;
      child.child.kill("SIGKILL");
      await child.exited;
      expect(await request.ended).toMatchObject({ aborted: true });
      a.destroy();

      restarted = await startTestServer({ dataDir, env: { ...env, LOG_LEVEL: "silent" } });
      a = await open(restarted.wsUrl, c.docName, c.owner, peers);
      const cut = replyTo(a, asked)!;
      expect(cut.status).toBe("error");
      expect(cut.error).toMatch(/^Interrupted: the server stopped while writing this reply/);
      expect("Alpha beta gamma".startsWith(cut.text)).toBe(true);
      expect(cut.text.length).toBeGreaterThan(0);
      // Let the restarted peer show itself, then check nothing was asked again.
      await untilPresence(a, (s) => s.ai.available);
      const later = say(a, c.owner, "after the crash");
      await settled(a, later);
      expect(replies(a, asked)).toHaveLength(1);
      expect(sse.requestsFor("kill-me")).toHaveLength(1);

      const logs = child.logs.join("\n");
      expect(logs).toContain("AI reply finished");
      expect(logs).not.toContain(TEST_KEY);
      const state = Buffer.from(Y.encodeStateAsUpdate(a.doc)).toString("latin1");
      expect(state).not.toContain(TEST_KEY);
      expect(JSON.stringify([...a.awareness().getStates().values()])).not.toContain(TEST_KEY);
      const me = await api(restarted.url, "/api/me", { token: (await register(restarted.url)).token });
      expect(JSON.stringify(me.body)).not.toContain(TEST_KEY);
    } finally {
      if (child.child.exitCode === null && child.child.signalCode === null) child.child.kill("SIGKILL");
      await restarted?.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
  it("AI-6 a prompt whose claim was stored but whose reply never was is marked interrupted after restart, not left unanswered", async () => {
    const dataDir = await tempDataDir();
    sse.when("orphan-prompt", { steps: streamOf("Never asked.") });
    const first = await aiServer(sse, {}, { dataDir });
    const c = await workspaceWithConversation(first.url, { ai: "off" });
    let a = await open(first.wsUrl, c.docName, c.owner, peers);
    // The state a kill -9 leaves between the claim and the reply's write: a queued prompt, a spent claim.
    const asked = say(a, c.owner, "orphan-prompt");
    a.doc.transact(() => {
      setPending(findMessage(a.doc, asked)!, true);
      writeMeta(a.doc, { ai: "auto" });
    });
    await a.acknowledged();
    await first.close({ keepData: true });
    a.destroy();
    const store = await openLevelStore(join(dataDir, "db"));
    expect(await store.claimOnce(`reply:${c.docName}:${asked}`, "an-instance-that-died")).toBe(true);
    await store.close();

    const second = await aiServer(sse, {}, { dataDir });
    try {
      a = await open(second.wsUrl, c.docName, c.owner, peers);
      await until(a.doc, () => replyTo(a, asked) !== undefined);
      expect(replyTo(a, asked)).toMatchObject({ status: "error", error: INTERRUPTED_BEFORE_START, text: "" });
      await until(a.doc, () => message(a, asked)?.pending !== true);
      expect(replies(a, asked)).toHaveLength(1);
      expect(sse.requestsFor("orphan-prompt")).toHaveLength(0);
    } finally {
      await second.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
