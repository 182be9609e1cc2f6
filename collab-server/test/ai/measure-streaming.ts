// Measures AI streaming as people see it (issue 4's benchmark figures), against a raw per-token
// `ws` broadcast in the same run. Not a test; run it alone on a quiet machine:
//   npx tsx collab-server/test/ai/measure-streaming.ts [tokens=200] [spacingMs=10]
// JunoKit runs as its own process (npm start's entry) so its CPU is its own.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { messageList, messageText, readMessage, readMessages } from "@junokit/doc-model";
import WebSocket from "ws";
import { startOpenAiSse, streamOf, type OpenAiSse, type RecordedRequest } from "../support/openai-sse";
import { connect, spawnServerProcess, tempDataDir, until, workspaceWithConversation, type Peer } from "../support/server";
import { say } from "./ai-support";

const TOKENS = Number(process.argv[2] ?? 200);
const SPACING_MS = Number(process.argv[3] ?? 10);
const PEER_COUNTS = [1, 10, 100];
const OVERHEAD_PROMPTS = 20;
const ROOT = fileURLToPath(new URL("../../..", import.meta.url));

function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100; // utime + stime, 100 ticks/s
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};
const f = (x: number) => x.toFixed(1);

/** Per token: when the endpoint wrote it, and when each peer's text first covered it. */
function delays(request: RecordedRequest, arrivals: { at: number; length: number }[][]) {
  const first: number[] = [];
  const later: number[] = [];
  let offset = 0;
  request.emitted.forEach((token, k) => {
    offset += token.text.length;
    for (const seen of arrivals) {
      const hit = seen.find((s) => s.length >= offset);
      if (hit) (k === 0 ? first : later).push(hit.at - token.at);
    }
  });
  return { first, later };
}

async function junokit(sse: OpenAiSse, peersWanted: number) {
  const dataDir = await tempDataDir();
  const server = await spawnServerProcess(dataDir, { AI_BASE_URL: sse.baseUrl, AI_API_KEY: "sk-measure", AI_MODEL: "m", LOG_LEVEL: "info", AI_PROMPTS_PER_USER_PER_MINUTE: "1000", AI_PROMPTS_PER_WORKSPACE_PER_MINUTE: "1000" });
  try {
    const c = await workspaceWithConversation(server.url);
    const peers: Peer[] = Array.from({ length: peersWanted }, () => connect(server.wsUrl, c.docName, c.owner.token));
    await Promise.all(peers.map((p) => p.synced));
    // Warm-up reply, then the measured one.
    sse.when("warm-up", { steps: streamOf("warm up done") });
    const warm = say(peers[0]!, c.owner, "warm-up");
    await until(peers[0]!.doc, () => readMessages(peers[0]!.doc).some((m) => m.replyTo === warm && m.status === "done"));

    const text = Array.from({ length: TOKENS }, (_, i) => ` t${i}`).join("");
    const marker = `measure-${peersWanted}`;
    sse.when(marker, { steps: streamOf(text, { delayMs: SPACING_MS }) });
    const arrivals: { at: number; length: number }[][] = peers.map(() => []);
    let updates = 0;
    let asked = "";
    // Cheap watchers (the peers share this process with the endpoint): each peer finds the
    // reply once, then only its Y.Text is observed.
    peers.forEach((p, i) => {
      const list = messageList(p.doc);
      const find = () => {
        const reply = list.toArray().find((m) => readMessage(m).replyTo === asked && asked !== "");
        if (!reply) return;
        list.unobserve(find);
        const text = messageText(reply);
        const seen = arrivals[i]!;
        text.observe(() => seen.push({ at: performance.now(), length: text.length }));
        if (text.length > 0) seen.push({ at: performance.now(), length: text.length });
      };
      list.observe(find);
    });
    peers[0]!.doc.on("update", () => updates++);
    const cpuBefore = cpuMs(server.child.pid!);
    const sentAt = performance.now();
    updates = 0;
    asked = say(peers[0]!, c.owner, marker);
    const request = await sse.nextRequest((r) => r.body.messages?.some((m) => m.content.includes(marker)) ?? false);
    const overhead = request.receivedAt - sentAt;
    await Promise.all(peers.map((p) => until(p.doc, () => readMessages(p.doc).some((m) => m.replyTo === asked && m.status === "done"), 60_000)));
    const cpu = cpuMs(server.child.pid!) - cpuBefore;
    const streamMs = request.emitted.at(-1)!.at - request.emitted[0]!.at;
    const replyUpdates = updates;

    // App overhead, message → upstream request: as a client sees it, and inside the server.
    const overheads: number[] = [];
    for (let i = 0; i < OVERHEAD_PROMPTS; i++) {
      const quick = `quick-${peersWanted}-${i}`;
      sse.when(quick, { steps: streamOf("ok") });
      const at = performance.now();
      const id = say(peers[0]!, c.owner, quick);
      overheads.push((await sse.nextRequest((r) => r.body.messages?.some((m) => m.content.endsWith(quick)) ?? false)).receivedAt - at);
      await until(peers[0]!.doc, () => readMessages(peers[0]!.doc).some((m) => m.replyTo === id && m.status === "done"));
    }
    const serverStart = server.logs
      .map((line) => { try { return JSON.parse(line) as { msg?: string; startMs?: number }; } catch { return {}; } })
      .filter((e) => e.msg === "AI reply finished" && typeof e.startMs === "number")
      .slice(-OVERHEAD_PROMPTS)
      .map((e) => e.startMs!);
    peers.forEach((p) => p.destroy());
    return {
      ...delays(request, arrivals), cpuPerToken: cpu / TOKENS, updatesPerSecond: (replyUpdates / streamMs) * 1000, updates: replyUpdates, overhead, streamMs,
      overheadP95: pct(overheads, 95), serverStartP95: pct(serverStart, 95),
    };
  } finally {
    server.child.kill("SIGTERM");
    await server.exited;
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The physics: a process that reads the same stream and sends each token to every socket. */
const RAW_SERVER = `
import { WebSocketServer } from "ws";
const wss = new WebSocketServer({ port: 0, host: "127.0.0.1" });
wss.on("listening", () => process.send({ port: wss.address().port }));
process.on("message", async ({ url, marker }) => {
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "m", stream: true, messages: [{ role: "user", content: marker }] }) });
  const decoder = new TextDecoder(); let buffer = "";
  for await (const chunk of res.body) {
    buffer += decoder.decode(chunk, { stream: true });
    let i; while ((i = buffer.indexOf("\\n\\n")) >= 0) {
      const frame = buffer.slice(0, i); buffer = buffer.slice(i + 2);
      const data = frame.startsWith("data: ") ? frame.slice(6) : "";
      if (!data || data === "[DONE]") continue;
      const t = JSON.parse(data).choices?.[0]?.delta?.content;
      if (t) for (const c of wss.clients) c.send(t);
    }
  }
  for (const c of wss.clients) c.send("\\u0000done");
});`;

async function raw(sse: OpenAiSse, peersWanted: number) {
  const child = spawn(process.execPath, ["--input-type=module", "-e", RAW_SERVER], { cwd: ROOT, stdio: ["ignore", "inherit", "inherit", "ipc"] });
  try {
    const { port } = await new Promise<{ port: number }>((r) => child.once("message", (m) => r(m as { port: number })));
    const arrivals: { at: number; length: number }[][] = [];
    const sockets = await Promise.all(Array.from({ length: peersWanted }, async () => {
      const ws = new WebSocket(`ws://127.0.0.1:${port}`);
      const seen: { at: number; length: number }[] = [];
      arrivals.push(seen);
      let length = 0;
      const done = new Promise<void>((resolve) => ws.on("message", (data) => {
        const t = data.toString();
        if (t === "\u0000done") return resolve();
        length += t.length;
        seen.push({ at: performance.now(), length });
      }));
      await new Promise((r) => ws.once("open", r));
      return { ws, done };
    }));
    const text = Array.from({ length: TOKENS }, (_, i) => ` t${i}`).join("");
    const marker = `raw-${peersWanted}`;
    sse.when(marker, { steps: streamOf(text, { delayMs: SPACING_MS }) });
    const cpuBefore = cpuMs(child.pid!);
    child.send({ url: `${sse.baseUrl}/chat/completions`, marker });
    await Promise.all(sockets.map((s) => s.done));
    const cpu = cpuMs(child.pid!) - cpuBefore;
    const request = sse.requestsFor(marker)[0]!;
    sockets.forEach((s) => s.ws.close());
    return { ...delays(request, arrivals), cpuPerToken: cpu / TOKENS };
  } finally {
    child.kill();
  }
}

const sse = await startOpenAiSse();
console.log(`AI streaming: ${TOKENS} tokens, one every ${SPACING_MS} ms; delays from the endpoint's write to each peer (ms)`);
console.log("target     peers  first p50  first p99  later p50  later p99  CPU ms/token  updates/s  msg→request p95 (client / in server)");
for (const n of PEER_COUNTS) {
  const j = await junokit(sse, n);
  const r = await raw(sse, n);
  console.log(`junokit   ${String(n).padStart(6)}  ${f(pct(j.first, 50)).padStart(9)}  ${f(pct(j.first, 99)).padStart(9)}  ${f(pct(j.later, 50)).padStart(9)}  ${f(pct(j.later, 99)).padStart(9)}  ${j.cpuPerToken.toFixed(3).padStart(12)}  ${f(j.updatesPerSecond).padStart(9)}  ${f(j.overheadP95).padStart(8)} / ${f(j.serverStartP95)}`);
  console.log(`raw ws    ${String(n).padStart(6)}  ${f(pct(r.first, 50)).padStart(9)}  ${f(pct(r.first, 99)).padStart(9)}  ${f(pct(r.later, 50)).padStart(9)}  ${f(pct(r.later, 99)).padStart(9)}  ${r.cpuPerToken.toFixed(3).padStart(12)}  ${"-".padStart(9)}  ${"-".padStart(8)}`);
}
await sse.close();
process.exit(0);
