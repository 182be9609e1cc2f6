// The embedded local model's cost (issue 9): prompt → first token visible at another peer, and
// tokens per second seen by that peer, against calling node-llama-cpp directly in the same run
// on the same tiny GGUF (written here, no downloaded weights) with the same thread count.
// Run it alone: `npx tsx bench/local-model.ts` (BENCH_QUICK=1 for fewer runs).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { appendMessage, builtInPersona, readMessages } from "@junokit/doc-model";
import { getLlama, LlamaChat, LlamaLogLevel, resolveChatWrapper } from "node-llama-cpp";
import { connect, startTestServer, until, workspaceWithConversation, api, type Peer } from "../collab-server/test/support/server";
import { writeTinyModel } from "../collab-server/test/support/tiny-gguf";
import { summarize, type Summary } from "./samples";

export interface LocalModelSizes {
  /** Replies measured per path (after one warm-up reply each). */
  runs: number;
  /** Tokens in the scripted reply (at most 250). */
  replyTokens: number;
}

export const LOCAL_MODEL_FULL: LocalModelSizes = { runs: 15, replyTokens: 250 };
export const LOCAL_MODEL_QUICK: LocalModelSizes = { runs: 5, replyTokens: 250 };
export const LOCAL_MODEL_TINY: LocalModelSizes = { runs: 1, replyTokens: 20 };

interface PathFigures {
  /** Prompt sent → first reply token (direct: first text chunk; JunoKit: first text visible at the other peer). */
  firstTokenMs: Summary;
  /** Reply tokens after the first, per second of the rest of the reply. */
  tokensPerSecond: Summary;
}

export interface LocalModelResult {
  threads: number;
  replyTokens: number;
  modelBytes: number;
  direct: PathFigures;
  junokit: PathFigures & { documentUpdatesPerReply: number };
  /** Median first-token delay JunoKit adds over the direct call, ms. */
  firstTokenOverheadMs: number;
  /** Median tokens/s at the peer as a share of the direct call's. */
  throughputRatio: number;
}

const THREADS = 1;

export async function runLocalModelBench(sizes: LocalModelSizes, progress: (message: string) => void): Promise<LocalModelResult> {
  const dir = await mkdtemp(join(tmpdir(), "junokit-bench-llm-"));
  try {
    const words = Array.from({ length: Math.min(sizes.replyTokens, 250) - 1 }, (_, i) => `word${i}`);
    const reply = `${words.join(" ")}.`;
    const modelPath = join(dir, "bench-script.gguf");
    const modelBytes = await writeTinyModel(modelPath, { reply, embedding: 256, contextLength: 4096, name: "bench-script" });
    progress(`local model · tiny GGUF ${(modelBytes / 1e6).toFixed(1)} MB, reply of ${words.length + 1} tokens, ${THREADS} thread`);
    const system = builtInPersona("dev")!.systemPrompt;

    const direct = await measureDirect(modelPath, system, reply, sizes.runs, progress);
    const junokit = await measureJunoKit(modelPath, reply, sizes.runs, progress);
    const tokens = words.length + 1;
    const figures = (runs: Run[]): PathFigures => ({
      firstTokenMs: summarize(runs.map((r) => r.firstTokenMs)),
      tokensPerSecond: summarize(runs.map((r) => ((tokens - 1) * 1000) / r.restMs)),
    });
    const d = figures(direct);
    const j = figures(junokit);
    return {
      threads: THREADS,
      replyTokens: tokens,
      modelBytes,
      direct: d,
      junokit: { ...j, documentUpdatesPerReply: summarize(junokit.map((r) => r.updates ?? 0)).p50 },
      firstTokenOverheadMs: j.firstTokenMs.p50 - d.firstTokenMs.p50,
      throughputRatio: j.tokensPerSecond.p50 / d.tokensPerSecond.p50,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface Run {
  firstTokenMs: number;
  /** First token → last token (direct) or → reply marked done at the peer (JunoKit). */
  restMs: number;
  updates?: number;
}

/** The floor: node-llama-cpp on its own, same file, same threads, a prompt of the same shape. */
async function measureDirect(modelPath: string, system: string, reply: string, runs: number, progress: (m: string) => void): Promise<Run[]> {
  const llama = await getLlama({ gpu: false, build: "never", skipDownload: true, maxThreads: THREADS, logLevel: LlamaLogLevel.error });
  const model = await llama.loadModel({ modelPath });
  const context = await model.createContext({ contextSize: 4096, sequences: 1, threads: THREADS });
  const chatWrapper = resolveChatWrapper(model);
  const sequence = context.getSequence();
  const out: Run[] = [];
  try {
    for (let i = 0; i <= runs; i++) {
      // A fresh chat per reply, as the server makes one per reply.
      const chat = new LlamaChat({ contextSequence: sequence, chatWrapper, autoDisposeSequence: false });
      const history = [
        { type: "system" as const, text: system },
        { type: "user" as const, text: `[Alice] benchmark question ${i}` },
        { type: "model" as const, response: [] },
      ];
      const started = performance.now();
      let first = 0;
      let last = 0;
      let text = "";
      await chat.generateResponse(history, {
        temperature: 0.7,
        onTextChunk: (chunk) => {
          last = performance.now();
          if (!first) first = last;
          text += chunk;
        },
      });
      chat.dispose({ disposeSequence: false });
      if (text !== reply) throw new Error(`direct reply differs from the script: ${text.slice(0, 80)}…`);
      if (i > 0) out.push({ firstTokenMs: first - started, restMs: last - first });
    }
  } finally {
    await context.dispose();
    await model.dispose();
    await llama.dispose();
  }
  progress(`local model · direct node-llama-cpp: ${runs} replies`);
  return out;
}

/** The product path: a person's message in a conversation, the reply watched by a second peer. */
async function measureJunoKit(modelPath: string, reply: string, runs: number, progress: (m: string) => void): Promise<Run[]> {
  const server = await startTestServer({ env: { AI_MODEL_PATH: modelPath, AI_THREADS: String(THREADS), LOG_LEVEL: "error" } });
  const peers: Peer[] = [];
  const out: Run[] = [];
  try {
    const c = await workspaceWithConversation(server.url);
    for (let i = 0; i <= runs; i++) {
      // A fresh conversation per reply, so every prompt has the same length.
      const conv = i === 0 ? c : { ...c, docName: (await api(server.url, `/api/workspaces/${c.workspaceId}/conversations`, { token: c.owner.token, body: { title: `bench ${i}` } })).body.docName as string };
      const writer = connect(server.wsUrl, conv.docName, c.owner.token);
      const watcher = connect(server.wsUrl, conv.docName, c.owner.token);
      peers.push(writer, watcher);
      await Promise.all([writer.synced, watcher.synced]);

      const id = `bench${i}`;
      const answer = () => readMessages(watcher.doc).find((m) => m.role === "assistant" && m.replyTo === id);
      let first = 0;
      let updates = 0;
      watcher.doc.on("update", () => {
        if (first) updates++;
        else if ((answer()?.text.length ?? 0) > 0) first = performance.now();
      });
      const started = performance.now();
      appendMessage(writer.doc, { id, role: "user", authorId: c.owner.user.id, authorName: c.owner.user.displayName, createdAt: Date.now(), text: `benchmark question ${i}` });
      await until(watcher.doc, () => answer()?.status === "done", 30_000);
      const done = performance.now();
      if (answer()!.text !== reply) throw new Error(`JunoKit reply differs from the script: ${answer()!.text.slice(0, 80)}…`);
      if (i > 0) out.push({ firstTokenMs: first - started, restMs: done - first, updates });
      writer.destroy();
      watcher.destroy();
    }
  } finally {
    peers.forEach((p) => p.destroy());
    await server.close();
  }
  progress(`local model · JunoKit (server + two peers): ${runs} replies`);
  return out;
}

export function renderLocalModel(r: LocalModelResult): string {
  const row = (name: string, f: PathFigures) =>
    `| ${name} | ${f.firstTokenMs.p50.toFixed(1)} | ${f.firstTokenMs.p99.toFixed(1)} | ${f.tokensPerSecond.p50.toFixed(0)} |`;
  return [
    `Local model (tiny GGUF, ${(r.modelBytes / 1e6).toFixed(1)} MB, ${r.replyTokens}-token reply, ${r.threads} thread, ${r.direct.firstTokenMs.count} runs)`,
    "",
    "| path | first token p50 ms | p99 ms | tokens/s p50 |",
    "|---|---|---|---|",
    row("node-llama-cpp direct", r.direct),
    row("JunoKit, seen by a peer", r.junokit),
    "",
    `first-token overhead ${r.firstTokenOverheadMs.toFixed(1)} ms; throughput at the peer ${(r.throughputRatio * 100).toFixed(0)} % of direct; ` +
      `${r.junokit.documentUpdatesPerReply} document updates per ${r.replyTokens}-token reply`,
  ].join("\n");
}

// Standalone: `npx tsx bench/local-model.ts`.
if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const sizes = process.env.BENCH_QUICK === "1" ? LOCAL_MODEL_QUICK : LOCAL_MODEL_FULL;
  const began = Date.now();
  runLocalModelBench(sizes, (m) => process.stderr.write(`[bench ${((Date.now() - began) / 1000).toFixed(1)}s] ${m}\n`)).then(
    (result) => {
      process.stdout.write(`${renderLocalModel(result)}\n`);
      process.stdout.write(`${JSON.stringify(result)}\n`);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
