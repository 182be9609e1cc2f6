import { readMessages, summaryText } from "@junokit/doc-model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAiSse, streamOf, type OpenAiSse } from "../support/openai-sse";
import { addMember, startTestServer, workspaceWithConversation, type Peer, type TestServer } from "../support/server";
import { aiPeerState, aiServer, open, say, settled, untilPresence } from "./ai-support";

let sse: OpenAiSse;
const peers: Peer[] = [];
const servers: TestServer[] = [];

beforeAll(async () => {
  sse = await startOpenAiSse();
});
afterAll(async () => {
  peers.forEach((p) => p.destroy());
  await Promise.all(servers.map((s) => s.close()));
  await sse?.close();
});

async function server(env: Record<string, string>, withEndpoint = true): Promise<TestServer> {
  const s = withEndpoint ? await aiServer(sse, env) : await startTestServer({ env });
  servers.push(s);
  return s;
}

describe("AI peer: cost controls and context", () => {
  it("AI-13 per-person and per-workspace prompt limits answer with a clear message and send nothing upstream", async () => {
    const t = await server({ AI_PROMPTS_PER_USER_PER_MINUTE: "2", AI_PROMPTS_PER_WORKSPACE_PER_MINUTE: "3" });
    sse.when("limited", { steps: streamOf("Fine.") });
    const c = await workspaceWithConversation(t.url);
    const bob = await addMember(t.url, c.owner, c.workspaceId, "editor");
    const a = await open(t.wsUrl, c.docName, c.owner, peers);
    const b = await open(t.wsUrl, c.docName, bob, peers);
    const asks = [say(a, c.owner, "limited a1"), say(a, c.owner, "limited a2"), say(a, c.owner, "limited a3")];
    const answers = [];
    for (const id of asks) answers.push(await settled(a, id));
    expect(answers.map((r) => r.status)).toEqual(["done", "done", "error"]);
    expect(answers[2]!.error).toMatch(/^You have sent 2 prompts to the AI in the last minute, the most one person may\. Try again in \d+ s\.$/);
    const bobFirst = await settled(b, say(b, bob, "limited b1"));
    const bobSecond = await settled(b, say(b, bob, "limited b2"));
    expect(bobFirst.status).toBe("done");
    expect(bobSecond).toMatchObject({ status: "error" });
    expect(bobSecond.error).toMatch(/^This workspace has sent 3 prompts to the AI in the last minute, the most it may\. Try again in \d+ s\.$/);
    expect(sse.requestsFor("limited")).toHaveLength(3);
  });

  it("AI-12 a small budget folds older turns into the running summary; each message shows where it stands", async () => {
    const t = await server({ AI_CONTEXT_TOKENS: "500" });
    const long = (n: number) => `budget-${n} ` + `word${n} `.repeat(50).trim();
    sse.when((r) => (r.body.messages?.at(-1)?.content ?? "").includes("budget-"), { steps: streamOf("Short answer.") });
    const c = await workspaceWithConversation(t.url);
    const a = await open(t.wsUrl, c.docName, c.owner, peers);
    const ids: string[] = [];
    for (let n = 1; n <= 6; n++) {
      ids.push(say(a, c.owner, long(n)));
      await settled(a, ids.at(-1)!);
    }
    const byId = new Map(readMessages(a.doc).map((m) => [m.id, m]));
    expect(byId.get(ids[0]!)!.context).toBe("summarized");
    expect(byId.get(ids[4]!)!.context).toBe("in-context");
    expect(byId.get(ids[5]!)!.context).toBe("in-context");
    const summary = summaryText(a.doc).toString();
    expect(summary).toContain(`- [${c.owner.user.displayName}] budget-1 word1 word1`);
    expect(summary).toContain("- [Dev (AI)] Short answer.");
    // Folded once: the first message's line is in the summary exactly once.
    expect(summary.split("budget-1 ").length - 1).toBe(1);
    const last = sse.requests.at(-1)!.body.messages!;
    expect(last[0]!.content).toContain("## Summary of the earlier conversation");
    // Within its share of the budget the prompt keeps the summary's opening and its newest line.
    expect(last[0]!.content).toContain(`- [${c.owner.user.displayName}] budget-1 word1`);
    expect(last[0]!.content).toMatch(/- \[Dev \(AI\)\] Short answer\.\n\n## |- \[Dev \(AI\)\] Short answer\.$/);
    for (const n of [1, 2, 3, 4]) expect(summary).toContain(`budget-${n} word${n}`);
    expect(last.slice(1).some((m) => m.content.includes("budget-1 "))).toBe(false);
    expect(last.at(-1)!.content).toContain("budget-6");
    // A person's edit of the summary is what the next prompt uses.
    a.doc.transact(() => summaryText(a.doc).insert(0, "EDITED BY ALICE\n"));
    await settled(a, say(a, c.owner, long(7)));
    expect(sse.requests.at(-1)!.body.messages![0]!.content).toContain("EDITED BY ALICE");
  });

  it("AI-14 with no endpoint the bot still joins, shows itself unavailable and answers with the configuration notice", async () => {
    const t = await server({}, false);
    const c = await workspaceWithConversation(t.url);
    const a = await open(t.wsUrl, c.docName, c.owner, peers);
    await untilPresence(a, (s) => s.user.kind === "ai");
    expect(aiPeerState(a)!.ai).toMatchObject({ available: false, model: "not configured" });
    expect(aiPeerState(a)!.ai.notice).toMatch(/AI_BASE_URL/);
    const reply = await settled(a, say(a, c.owner, "hello?"));
    expect(reply).toMatchObject({ status: "error", model: "not configured" });
    for (const name of ["AI_BASE_URL", "AI_API_KEY", "AI_MODEL", "npm run model:pull"]) expect(reply.error).toContain(name);
  });
});
