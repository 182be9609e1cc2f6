import { rm } from "node:fs/promises";
import { findMessage, readIndexPersonas, requestStop, workspaceIndexDocName, writeMeta } from "@junokit/doc-model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clusterEnv, dropSchema } from "../support/cluster";
import { startOpenAiSse, type OpenAiSse } from "../support/openai-sse";
import { addMember, api, spawnServerProcess, startTestServer, tempDataDir, until, workspaceWithConversation, type Peer, type TestServer } from "../support/server";
import { open, replies, replyTo, say, settled, TEST_KEY, TEST_MODEL, untilPresence } from "./ai-support";

let sse: OpenAiSse;
const peers: Peer[] = [];
const servers: TestServer[] = [];
let schema = "";
let env: Record<string, string> = {};

beforeAll(async () => {
  sse = await startOpenAiSse();
  env = { ...clusterEnv(), AI_BASE_URL: sse.baseUrl, AI_API_KEY: TEST_KEY, AI_MODEL: TEST_MODEL, AI_ALLOWED_MODELS: "vendor/clustered" };
  schema = env.DATABASE_SCHEMA!;
  for (let i = 0; i < 2; i++) servers.push(await startTestServer({ env }));
});
afterAll(async () => {
  peers.forEach((p) => p.destroy());
  for (const s of servers) await s.close();
  if (schema) await dropSchema(schema);
  await sse?.close();
});

describe("AI peer in a cluster", () => {
  it("AI-6 AI-4 one answer per prompt; another instance leaves a live reply alone; stop crosses instances", async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const c = await workspaceWithConversation(a.url);
    const bob = await addMember(b.url, c.owner, c.workspaceId, "editor");
    sse.when("cluster-one", { steps: [{ content: "Part one" }, { gate: "cluster-one" }, { content: ", part two." }, { finish: "stop" }, { done: true }] });
    const onA = await open(a.wsUrl, c.docName, c.owner, peers);
    const asked = say(onA, c.owner, "cluster-one go");
    await until(onA.doc, () => replyTo(onA, asked)?.text === "Part one");
    // Instance B loads the conversation while A writes into it: the reply's lease is live.
    const onB = await open(b.wsUrl, c.docName, bob, peers);
    await until(onB.doc, () => replyTo(onB, asked)?.text === "Part one");
    expect(replyTo(onB, asked)!.status).toBe("streaming");
    sse.release("cluster-one");
    expect(await settled(onB, asked)).toMatchObject({ status: "done", text: "Part one, part two." });
    expect(replies(onA, asked)).toHaveLength(1);
    expect(sse.requestsFor("cluster-one")).toHaveLength(1);

    sse.when("cluster-two", { steps: Array.from({ length: 300 }, (_, i) => ({ content: ` w${i}`, delayMs: 10 })) });
    const second = say(onA, c.owner, "cluster-two go");
    await until(onB.doc, () => (replyTo(onB, second)?.text.length ?? 0) > 12);
    onB.doc.transact(() => requestStop(findMessage(onB.doc, replyTo(onB, second)!.id)!));
    expect((await settled(onA, second, 3000)).status).toBe("stopped");
    expect(await sse.requestsFor("cluster-two")[0]!.ended).toMatchObject({ aborted: true });
    expect(replies(onB, second)).toHaveLength(1);
  });

  it("AI-6 an instance killed mid-reply: the other marks the reply interrupted once its lease runs out, then answers the next prompt", async () => {
    const b = servers[0]!;
    const dataDir = await tempDataDir();
    const dying = await spawnServerProcess(dataDir, env);
    try {
      const c = await workspaceWithConversation(dying.url);
      sse.when("lease-hold", { steps: [{ content: "Half" }, { gate: "never" }] });
      sse.when("lease-after", { steps: [{ content: "Answered by the survivor." }, { finish: "stop" }, { done: true }] });
      const onDying = await open(dying.wsUrl, c.docName, c.owner, peers);
      const held = say(onDying, c.owner, "lease-hold go");
      await until(onDying.doc, () => replyTo(onDying, held)?.text === "Half");
      const onB = await open(b.wsUrl, c.docName, c.owner, peers);
      await until(onB.doc, () => replyTo(onB, held)?.text === "Half");
      // B sees a live lease and leaves the reply to its writer…
      expect(replyTo(onB, held)!.status).toBe("streaming");
      dying.child.kill("SIGKILL");
      await dying.exited;
      // …until the lease (15 s, renewed every 5 s) runs out with nobody renewing it.
      await until(onB.doc, () => replyTo(onB, held)?.status === "error", 25_000);
      expect(replyTo(onB, held)).toMatchObject({ text: "Half", error: expect.stringMatching(/^Interrupted: the server stopped while writing this reply/) });
      const after = say(onB, c.owner, "lease-after go");
      expect(await settled(onB, after)).toMatchObject({ status: "done", text: "Answered by the survivor." });
      expect(replies(onB, held)).toHaveLength(1);
      expect(sse.requestsFor("lease-hold")).toHaveLength(1);
    } finally {
      if (dying.child.exitCode === null && dying.child.signalCode === null) dying.child.kill("SIGKILL");
      await rm(dataDir, { recursive: true, force: true });
    }
  }, 60_000);

  it("AI-19 a persona created through one instance reaches the other's index mirror, presence and replies", async () => {
    const [a, b] = servers as [TestServer, TestServer];
    const c = await workspaceWithConversation(a.url);
    const index = await open(a.wsUrl, workspaceIndexDocName(c.workspaceId), c.owner, peers);
    const onA = await open(a.wsUrl, c.docName, c.owner, peers);
    const created = await api(b.url, `/api/workspaces/${c.workspaceId}/personas`, {
      token: c.owner.token, body: { name: "Clustered", color: "#0e7490", systemPrompt: "You are Clustered.", model: "vendor/clustered", temperature: 0.4 },
    });
    expect(created.status).toBe(201);
    await until(index.doc, () => readIndexPersonas(index.doc).some((p) => p.id === created.body.id));
    writeMeta(onA.doc, { persona: created.body.id });
    await untilPresence(onA, (s) => s.user.name === "Clustered" && s.ai.model === "vendor/clustered");
    sse.when("cluster-persona", { steps: [{ content: "Hi." }, { finish: "stop" }, { done: true }] });
    expect(await settled(onA, say(onA, c.owner, "cluster-persona go"))).toMatchObject({ status: "done", authorName: "Clustered", model: "vendor/clustered" });
    expect(sse.requestsFor("cluster-persona")[0]!.body).toMatchObject({ model: "vendor/clustered", temperature: 0.4 });
  });
});
