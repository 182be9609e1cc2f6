// The real JunoKit server answering from a local GGUF model (AI_MODEL_PATH), seen by two
// people: streaming, stop, parallel conversations, the queue beyond the free sequences, and
// model files that cannot be used. The tiny models are written by the test; one CPU thread.
import { AI_AUTHOR_ID, findMessage, requestStop } from "@junokit/doc-model";
import { copyFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOT_CONFIGURED_NOTICE } from "../../src/ai";
import { startTestServer, tempDataDir, until, type Peer, type TestServer } from "../support/server";
import { TINY_REPLY } from "../support/tiny-gguf";
import { aiPresence, replyTo, say, settled, twoPeople, untilPresence, writeTinyModels, type TinyModels } from "./local-support";

let models: TinyModels;
const servers: TestServer[] = [];
const peers: Peer[] = [];

async function serve(env: Record<string, string>, dataDir?: string): Promise<TestServer> {
  const server = await startTestServer({ env: { AI_THREADS: "1", ...env }, ...(dataDir ? { dataDir } : {}) });
  servers.push(server);
  return server;
}

beforeAll(async () => {
  models = await writeTinyModels();
});
afterAll(async () => {
  peers.forEach((p) => p.destroy());
  await Promise.all(servers.map((s) => s.close()));
  await models?.remove();
});

describe("local model in the server: replies", () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await serve({ AI_MODEL_PATH: models.eos });
  });

  it("LLM-4 two peers watch the local model's reply arrive: exact text, done, the model file named in reply and presence", async () => {
    const c = await twoPeople(t, peers);
    const presence = await untilPresence(c.b, (ai) => ai.available);
    expect(presence).toMatchObject({ model: "tiny-eos.gguf", available: true });
    expect(presence.notice).toBeUndefined();

    const asked = say(c.a, c.alice, "Hello AI, who are you?");
    const seenByBob = await settled(c.b, asked);
    const seenByAlice = await settled(c.a, asked);
    for (const reply of [seenByBob, seenByAlice]) {
      expect(reply).toMatchObject({ role: "assistant", authorId: AI_AUTHOR_ID, status: "done", replyTo: asked, model: "tiny-eos.gguf", text: TINY_REPLY });
      expect(reply.error).toBeUndefined();
    }
  });
});

describe("local model in the server: stop, parallel conversations and the queue", () => {
  let t: TestServer;
  beforeAll(async () => {
    // A never-ending model; the token cap is far away so only Stop ends a reply. Two sequences (the default).
    t = await serve({ AI_MODEL_PATH: models.loop, AI_MAX_TOKENS: "1000000" });
  });

  const growing = (peer: Peer, asked: string, chars: number) => until(peer.doc, () => (replyTo(peer, asked)?.text.length ?? 0) >= chars, 15_000);

  it("LLM-5 Stop set by the other person ends a never-ending reply as stopped, and the next prompt is answered", async () => {
    const c = await twoPeople(t, peers);
    const asked = say(c.a, c.alice, "Talk forever, please.");
    await growing(c.b, asked, 100);
    c.b.doc.transact(() => requestStop(findMessage(c.b.doc, replyTo(c.b, asked)!.id)!));
    const stopped = await settled(c.a, asked);
    expect(stopped.status).toBe("stopped");
    expect(stopped.text.startsWith(`${TINY_REPLY} Hello from`)).toBe(true);

    const next = say(c.a, c.alice, "And again?");
    await growing(c.a, next, TINY_REPLY.length);
    expect(replyTo(c.a, next)!.text.startsWith(TINY_REPLY)).toBe(true);
    c.a.doc.transact(() => requestStop(findMessage(c.a.doc, replyTo(c.a, next)!.id)!));
    expect((await settled(c.a, next)).status).toBe("stopped");
  });

  it("LLM-6 two conversations stream at once; a third waits for a free sequence, then streams", async () => {
    const [one, two, three] = await Promise.all([twoPeople(t, peers), twoPeople(t, peers), twoPeople(t, peers)]);
    const q1 = say(one.a, one.alice, "first");
    const q2 = say(two.a, two.alice, "second");
    await Promise.all([growing(one.b, q1, 200), growing(two.b, q2, 200)]);

    const q3 = say(three.a, three.alice, "third");
    // Its reply exists (the AI peer started it) but no token comes while both sequences are busy.
    await until(three.b.doc, () => replyTo(three.b, q3)?.status === "streaming");
    const lengths = [replyTo(one.b, q1)!.text.length, replyTo(two.b, q2)!.text.length];
    await Promise.all([growing(one.b, q1, lengths[0]! + 300), growing(two.b, q2, lengths[1]! + 300)]);
    expect(replyTo(three.b, q3)!.text).toBe("");

    one.a.doc.transact(() => requestStop(findMessage(one.a.doc, replyTo(one.a, q1)!.id)!));
    expect((await settled(one.b, q1)).status).toBe("stopped");
    await growing(three.b, q3, TINY_REPLY.length);
    expect(replyTo(three.b, q3)!.text.startsWith(TINY_REPLY)).toBe(true);

    for (const [c, q] of [[two, q2], [three, q3]] as const) {
      c.a.doc.transact(() => requestStop(findMessage(c.a.doc, replyTo(c.a, q)!.id)!));
      expect((await settled(c.b, q)).status).toBe("stopped");
    }
  });
});

describe("local model in the server: files that cannot be used", () => {
  it.each(["missing", "truncated"] as const)("LLM-2 a %s AI_MODEL_PATH: the server runs, the AI shows and answers the not-configured notice", async (which) => {
    const t = await serve({ AI_MODEL_PATH: models[which] });
    const c = await twoPeople(t, peers);
    const presence = await untilPresence(c.b, () => true);
    expect(presence).toMatchObject({ available: false, notice: NOT_CONFIGURED_NOTICE });
    const asked = say(c.a, c.alice, "Anyone there?");
    expect(await settled(c.b, asked)).toMatchObject({ status: "error", error: NOT_CONFIGURED_NOTICE });
  });

  it("LLM-1 LLM-2 a corrupt first .gguf in DATA_DIR/models does not stop the server", async () => {
    const dataDir = await tempDataDir();
    await mkdir(join(dataDir, "models"));
    await copyFile(models.garbage, join(dataDir, "models", "model.gguf"));
    const t = await serve({}, dataDir);
    const c = await twoPeople(t, peers);
    expect(await untilPresence(c.a, () => true)).toMatchObject({ available: false, notice: NOT_CONFIGURED_NOTICE });
  });

  it("LLM-1 AI_BASE_URL wins over a model file", async () => {
    const t = await serve({ AI_MODEL_PATH: models.eos, AI_BASE_URL: "http://127.0.0.1:9/v1", AI_MODEL: "remote/model" });
    const c = await twoPeople(t, peers);
    expect(await untilPresence(c.a, () => true)).toMatchObject({ available: true, model: "remote/model" });
    expect(aiPresence(c.b)?.model).toBe("remote/model");
  });
});
