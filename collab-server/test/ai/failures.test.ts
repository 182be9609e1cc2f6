import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAiSse, streamOf, type OpenAiSse, type Script, type Step } from "../support/openai-sse";
import { api, startTestServer, workspaceWithConversation, type Peer, type TestServer } from "../support/server";
import { aiServer, open, say, settled, TEST_KEY } from "./ai-support";

let sse: OpenAiSse;
let t: TestServer;
const peers: Peer[] = [];

// Short deadlines so every failure mode shows within a test's time, yet long enough that a
// loaded machine (tests run in parallel on 2 cores) does not trip them on the healthy streams.
const FIRST_TOKEN_MS = 1500;
const IDLE_MS = 1000;
const TOTAL_MS = 5000;

beforeAll(async () => {
  sse = await startOpenAiSse();
  t = await aiServer(sse, {
    AI_FIRST_TOKEN_TIMEOUT_MS: String(FIRST_TOKEN_MS),
    AI_IDLE_TIMEOUT_MS: String(IDLE_MS),
    AI_MAX_REPLY_MS: String(TOTAL_MS),
    AI_RETRIES: "2",
    AI_MAX_TOKENS: "64",
  });
});
afterAll(async () => {
  peers.forEach((p) => p.destroy());
  await t?.close();
  await sse?.close();
});

const tokens = (n: number, delayMs: number, prefix = "t"): Step[] => Array.from({ length: n }, (_, i) => ({ content: ` ${prefix}${i}`, delayMs }));

interface Case {
  name: string;
  scripts: Script[];
  error: RegExp;
  /** Requests the endpoint should have seen (retries included). */
  requests?: number;
  /** Text the reply keeps from before the failure. */
  kept?: string | RegExp;
}

const CASES: Case[] = [
  { name: "500 on every attempt", scripts: [{ status: 500 }], error: /HTTP 500 after 3 attempts: scripted 500/, requests: 3 },
  {
    name: "429 on every attempt (Retry-After honoured)",
    scripts: [{ status: 429, headers: { "retry-after": "0" }, body: JSON.stringify({ error: { message: "slow down" } }) }],
    error: /rate-limiting requests \(HTTP 429\) after 3 attempts: slow down/,
    requests: 3,
  },
  { name: "connection reset mid-stream", scripts: [{ steps: [...tokens(3, 0), { wait: 30 }, { reset: true }] }], error: /connection to the AI endpoint was lost/, kept: " t0 t1 t2" },
  {
    name: "no first token before the deadline, keepalives only",
    scripts: [{ steps: [{ keepalive: 80, everyMs: 50 }] }],
    error: new RegExp(`sent nothing for ${FIRST_TOKEN_MS / 1000} s`),
  },
  {
    name: "idle mid-stream; keepalive comments do not reset the idle deadline",
    scripts: [{ steps: [...tokens(2, 0), { keepalive: 80, everyMs: 50 }, ...tokens(1, 0, "late")] }],
    error: new RegExp(`stopped sending for ${IDLE_MS / 1000} s`),
    kept: " t0 t1",
  },
  { name: "total duration cap", scripts: [{ steps: tokens(100, 150) }], error: new RegExp(`longer than the ${TOTAL_MS / 1000} s limit`), kept: /^ t0 t1 t2( t\d+)+$/ },
  {
    name: "error object in the middle of the stream",
    scripts: [{ steps: [...tokens(2, 0), { error: { message: "upstream overloaded", code: 502 } }, ...tokens(2, 0, "x")] }],
    error: /reported an error mid-reply: upstream overloaded/,
    kept: " t0 t1",
  },
  { name: "stream ends without [DONE]", scripts: [{ steps: [...tokens(2, 0), { finish: "stop" }] }], error: /never sent \[DONE\]/, kept: " t0 t1" },
  { name: "HTML instead of SSE", scripts: [{ body: "<html><body>Bad gateway</body></html>", contentType: "text/html" }], error: /text\/html instead of an event stream; check AI_BASE_URL/ },
  { name: "JSON instead of SSE", scripts: [{ body: JSON.stringify({ choices: [] }), contentType: "application/json" }], error: /application\/json instead of an event stream/ },
  { name: "garbled JSON frame", scripts: [{ steps: [...tokens(1, 0), { raw: 'data: {"choices":[{"delta":{"content":"oo\n\n' }, { done: true }] }], error: /malformed stream event/, kept: " t0" },
  { name: "max_tokens reached", scripts: [{ steps: [...tokens(2, 0), { finish: "length" }, { done: true }] }], error: /token limit \(max_tokens\)/, kept: " t0 t1" },
  {
    name: "401 whose body echoes the key",
    scripts: [{ status: 401, body: JSON.stringify({ error: { message: `Incorrect API key provided: ${TEST_KEY}` } }) }],
    error: /refused the API key \(HTTP 401\): Incorrect API key provided: \[redacted\]; check AI_API_KEY/,
    requests: 1,
  },
];

describe("AI peer: failures never pass as success", () => {
  it.each(CASES)("AI-5 $name → status error with a readable message", async (c) => {
    const marker = `[case-${CASES.indexOf(c)}]`;
    for (const script of c.scripts) sse.when(marker, script);
    const { owner, docName } = await workspaceWithConversation(t.url);
    const a = await open(t.wsUrl, docName, owner, peers);
    const asked = say(a, owner, `${marker} go`);
    const reply = await settled(a, asked);
    expect(reply.status).toBe("error");
    expect(reply.error).toMatch(c.error);
    expect(reply.error).not.toContain(TEST_KEY);
    if (c.kept instanceof RegExp) expect(reply.text).toMatch(c.kept);
    else expect(reply.text).toBe(c.kept ?? "");
    const seen = sse.requestsFor(marker);
    expect(seen).toHaveLength(c.requests ?? 1);
    // Every upstream request is over: finished, or aborted by the peer.
    for (const r of seen) await r.ended;
  });

  it("AI-5 429 then success: retried with backoff before the first token, then streams normally", async () => {
    sse.when("retry-429", { status: 429, headers: { "retry-after": "0" } }, { once: true });
    sse.when("retry-429", { status: 503 }, { once: true });
    sse.when("retry-429", { steps: streamOf("Third time lucky.") });
    const { owner, docName } = await workspaceWithConversation(t.url);
    const a = await open(t.wsUrl, docName, owner, peers);
    const reply = await settled(a, say(a, owner, "retry-429 please"));
    expect(reply).toMatchObject({ status: "done", text: "Third time lucky." });
    expect(sse.requestsFor("retry-429")).toHaveLength(3);
    expect(sse.requestsFor("retry-429")[0]!.body.max_tokens).toBe(64);
  });

  it("AI-5 frames split across TCP writes (also inside UTF-8 characters and between \\r and \\n) still work", async () => {
    const text = "Grüße 👋🏽 from Zürich — naïve café ✅ done.";
    const steps: Step[] = [
      ...streamOf(text).slice(0, -2),
      { raw: 'data: {"choices":[{"index":0,"delta":{"content":" CRLF"},"finish_reason":null}]}\r\n\r\n' },
      { finish: "stop" },
      { done: true },
    ];
    sse.when("split-frames", { steps, splitBytes: 5 });
    const { owner, docName } = await workspaceWithConversation(t.url);
    const a = await open(t.wsUrl, docName, owner, peers);
    const reply = await settled(a, say(a, owner, "split-frames please"));
    expect(reply).toMatchObject({ status: "done", text: `${text} CRLF` });
  });

  it("AI-5 a failing conversation does not hold up another; the server stays healthy", async () => {
    sse.when("slow-failure", { steps: [{ keepalive: 100, everyMs: 50 }] });
    sse.when("healthy-neighbour", { steps: streamOf("I am fine.", { delayMs: 5 }) });
    const one = await workspaceWithConversation(t.url);
    const two = await workspaceWithConversation(t.url);
    const a = await open(t.wsUrl, one.docName, one.owner, peers);
    const b = await open(t.wsUrl, two.docName, two.owner, peers);
    const failing = say(a, one.owner, "slow-failure now");
    await sse.nextRequest((r) => r.body.messages?.some((m) => m.content.includes("slow-failure")) ?? false);
    const fine = await settled(b, say(b, two.owner, "healthy-neighbour hi"));
    expect(fine).toMatchObject({ status: "done", text: "I am fine." });
    expect((await settled(a, failing)).status).toBe("error");
    expect((await api(t.url, "/api/health")).status).toBe(200);
  });

  it("AI-5 an endpoint nobody listens on: retried, then a readable error naming AI_BASE_URL", async () => {
    const closed = await startOpenAiSse();
    const deadUrl = closed.baseUrl;
    await closed.close();
    const dead = await startTestServer({ env: { AI_BASE_URL: deadUrl, AI_RETRIES: "1", AI_RETRY_DELAY_MS: "5" } });
    try {
      const { owner, docName } = await workspaceWithConversation(dead.url);
      const a = await open(dead.wsUrl, docName, owner, peers);
      const reply = await settled(a, say(a, owner, "anyone there?"));
      expect(reply.status).toBe("error");
      expect(reply.error).toMatch(/Could not reach the AI endpoint \(ECONNREFUSED\) after 2 attempts; check AI_BASE_URL/);
    } finally {
      await dead.close();
    }
  });
});
