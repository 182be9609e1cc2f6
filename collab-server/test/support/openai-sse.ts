// A local OpenAI-compatible endpoint for tests: real HTTP on 127.0.0.1:0 answering
// `POST /v1/chat/completions` with scripted event streams (tokens with delays, reasoning,
// keepalive comments, frames split across TCP writes, mid-stream errors, resets, stalls,
// missing [DONE], HTML, 429/500). It records every request, its body and how it ended.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type Step =
  | { content: string; delayMs?: number }
  | { reasoning: string; field?: "reasoning_content" | "reasoning"; delayMs?: number }
  /** `: keepalive` comment lines, `count` of them `everyMs` apart. */
  | { keepalive: number; everyMs: number }
  /** Bytes written as they are. */
  | { raw: string; delayMs?: number }
  | { wait: number }
  /** Waits until the test calls `release(name)`. */
  | { gate: string }
  | { error: { message: string; code?: number | string } }
  | { finish: "stop" | "length" | "content_filter" }
  | { done: true }
  /** Destroys the socket: a connection reset in the middle of the body. */
  | { reset: true }
  /** Sends nothing more and never ends: the client has to give up. */
  | { stall: true };

export interface Script {
  /** Non-2xx answers a JSON error body (or `body`). */
  status?: number;
  headers?: Record<string, string>;
  /** A body that is not an event stream, with this content type. */
  body?: string;
  contentType?: string;
  steps?: Step[];
  /** Write each frame in slices of this many bytes, one TCP write each. */
  splitBytes?: number;
}

export interface RecordedRequest {
  n: number;
  path: string;
  headers: IncomingMessage["headers"];
  body: { model?: string; stream?: boolean; messages?: { role: string; content: string }[]; max_tokens?: number; temperature?: number };
  receivedAt: number;
  /** Resolves when the response is over: `aborted` when the client went away first. */
  ended: Promise<{ aborted: boolean; at: number }>;
  /** Time each content/reasoning step was written (ms, performance.now()). */
  emitted: { text: string; at: number }[];
}

type Route = { match: (req: RecordedRequest) => boolean; script: Script | ((req: RecordedRequest) => Script); once: boolean };

/** `"Hello world, friend"` → `["Hello", " world,", " friend"]`: word-sized tokens. */
export function tokensOf(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

/** A well-formed stream of `text` (optionally after `reasoning`), one token per step. */
export function streamOf(text: string, options: { delayMs?: number; reasoning?: string; reasoningField?: "reasoning_content" | "reasoning" } = {}): Step[] {
  const steps: Step[] = [];
  for (const r of tokensOf(options.reasoning ?? "")) steps.push({ reasoning: r, field: options.reasoningField ?? "reasoning_content", delayMs: options.delayMs ?? 0 });
  for (const t of tokensOf(text)) steps.push({ content: t, delayMs: options.delayMs ?? 0 });
  steps.push({ finish: "stop" }, { done: true });
  return steps;
}

/**
 * The message being answered: the last paragraph of the last user turn (the AI peer merges
 * consecutive user messages into one turn, separated by blank lines).
 */
export function lastUserText(req: RecordedRequest): string {
  const turn = [...(req.body.messages ?? [])].reverse().find((m) => m.role === "user")?.content ?? "";
  return turn.split("\n\n").at(-1) ?? "";
}

export async function startOpenAiSse() {
  const requests: RecordedRequest[] = [];
  const routes: Route[] = [];
  const gates = new Map<string, { open: boolean; waiters: (() => void)[] }>();
  const requestWaiters: { predicate: (r: RecordedRequest) => boolean; resolve: (r: RecordedRequest) => void }[] = [];
  let fallback: Script = { steps: streamOf("OK.") };

  const gate = (name: string) => {
    let g = gates.get(name);
    if (!g) gates.set(name, (g = { open: false, waiters: [] }));
    return g;
  };

  const server = createServer(async (req, res) => {
    req.socket.setNoDelay(true);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    let body: RecordedRequest["body"] = {};
    try {
      body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    } catch {
      /* recorded as {} */
    }
    let settle!: (v: { aborted: boolean; at: number }) => void;
    const record: RecordedRequest = {
      n: requests.length + 1,
      path: req.url ?? "",
      headers: req.headers,
      body,
      receivedAt: performance.now(),
      ended: new Promise((r) => (settle = r)),
      emitted: [],
    };
    res.on("close", () => settle({ aborted: !res.writableFinished, at: performance.now() }));
    requests.push(record);
    for (const w of [...requestWaiters]) {
      if (w.predicate(record)) {
        requestWaiters.splice(requestWaiters.indexOf(w), 1);
        w.resolve(record);
      }
    }
    const route = routes.find((r) => r.match(record));
    if (route?.once) routes.splice(routes.indexOf(route), 1);
    const script = route ? (typeof route.script === "function" ? route.script(record) : route.script) : fallback;
    try {
      await play(script, record, res);
    } catch {
      res.destroy();
    }
  });

  async function play(script: Script, record: RecordedRequest, res: ServerResponse): Promise<void> {
    if (script.status && script.status >= 300) {
      res.writeHead(script.status, { "content-type": script.contentType ?? "application/json", ...script.headers });
      res.end(script.body ?? JSON.stringify({ error: { message: `scripted ${script.status}`, type: "server_error" } }));
      return;
    }
    if (script.body !== undefined) {
      res.writeHead(script.status ?? 200, { "content-type": script.contentType ?? "text/html", ...script.headers });
      res.end(script.body);
      return;
    }
    res.writeHead(200, { "content-type": "text/event-stream", "cache-control": "no-cache", ...script.headers });
    res.flushHeaders();
    const id = `chatcmpl-${record.n}`;
    const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
      `data: ${JSON.stringify({ id, object: "chat.completion.chunk", created: 1, model: record.body.model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
    const write = async (frame: string) => {
      if (res.destroyed) throw new Error("client gone");
      if (!script.splitBytes) return void res.write(frame);
      const bytes = Buffer.from(frame, "utf8");
      for (let i = 0; i < bytes.length; i += script.splitBytes) {
        res.write(bytes.subarray(i, i + script.splitBytes));
        await pause(2);
      }
    };
    await write(chunk({ role: "assistant", content: "" }));
    for (const step of script.steps ?? []) {
      if (res.destroyed) return;
      if ("delayMs" in step && step.delayMs) await pause(step.delayMs);
      if ("content" in step) {
        record.emitted.push({ text: step.content, at: performance.now() });
        await write(chunk({ content: step.content }));
      } else if ("reasoning" in step) {
        record.emitted.push({ text: step.reasoning, at: performance.now() });
        await write(chunk({ content: null, [step.field ?? "reasoning_content"]: step.reasoning }));
      } else if ("keepalive" in step) {
        for (let i = 0; i < step.keepalive && !res.destroyed; i++) {
          res.write(": keepalive\n\n");
          await pause(step.everyMs);
        }
      } else if ("raw" in step) await write(step.raw);
      else if ("wait" in step) await pause(step.wait);
      else if ("gate" in step) {
        const g = gate(step.gate);
        if (!g.open) await new Promise<void>((r) => g.waiters.push(r));
      } else if ("error" in step) await write(`data: ${JSON.stringify({ error: step.error })}\n\n`);
      else if ("finish" in step) await write(chunk({}, step.finish));
      else if ("done" in step) await write("data: [DONE]\n\n");
      else if ("reset" in step) return void res.socket?.destroy();
      else if ("stall" in step) return;
    }
    res.end();
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;

  return {
    port,
    /** What AI_BASE_URL should be. */
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    /** Answers requests whose last user turn contains `marker` (or that match) with `script`. */
    when(marker: string | ((r: RecordedRequest) => boolean), script: Script | ((r: RecordedRequest) => Script), options: { once?: boolean } = {}) {
      const match = typeof marker === "string" ? (r: RecordedRequest) => lastUserText(r).includes(marker) : marker;
      routes.push({ match, script, once: options.once ?? false });
    },
    /** The script for requests no route matches. */
    otherwise(script: Script) {
      fallback = script;
    },
    release(name: string) {
      const g = gate(name);
      g.open = true;
      g.waiters.splice(0).forEach((w) => w());
    },
    /** Resolves with the first request (already received or future) that matches. */
    nextRequest(predicate: (r: RecordedRequest) => boolean = () => true, timeoutMs = 10_000): Promise<RecordedRequest> {
      const seen = requests.find(predicate);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = { predicate, resolve: (r: RecordedRequest) => (clearTimeout(timer), resolve(r)) };
        const timer = setTimeout(() => {
          requestWaiters.splice(requestWaiters.indexOf(waiter), 1);
          reject(new Error("the endpoint received no such request in time"));
        }, timeoutMs);
        requestWaiters.push(waiter);
      });
    },
    requestsFor(marker: string): RecordedRequest[] {
      return requests.filter((r) => lastUserText(r).includes(marker));
    },
    async close(): Promise<void> {
      for (const g of gates.values()) g.waiters.splice(0).forEach((w) => w());
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type OpenAiSse = Awaited<ReturnType<typeof startOpenAiSse>>;

function pause(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
