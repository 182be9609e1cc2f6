// Shared steps of the local model's tests: tiny models written to a temp dir, a logger whose
// lines the test can read, and a reader that consumes a provider's stream in the background.
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { appendMessage, readAiPresence, readMessages, readPeer, type AiPresence, type Message } from "@junokit/doc-model";
import type { AiDelta, AiProvider, ChatTurn } from "../../src/ai";
import { createLogger, type Logger } from "../../src/log";
import { addMember, connect, until, workspaceWithConversation, type Peer, type Session, type TestServer } from "../support/server";
import { writeTinyModel } from "../support/tiny-gguf";

export interface TinyModels {
  dir: string;
  /** Answers every prompt with TINY_REPLY, then stops. */
  eos: string;
  /** Never stops by itself. */
  loop: string;
  /** The first half of `eos`: a download cut short. */
  truncated: string;
  /** Text with a .gguf name. */
  garbage: string;
  missing: string;
  remove(): Promise<void>;
}

export async function writeTinyModels(): Promise<TinyModels> {
  const dir = await mkdtemp(join(tmpdir(), "junokit-tiny-"));
  const eos = join(dir, "tiny-eos.gguf");
  const loop = join(dir, "tiny-loop.gguf");
  const truncated = join(dir, "truncated.gguf");
  const garbage = join(dir, "garbage.gguf");
  await writeTinyModel(eos);
  await writeTinyModel(loop, { loop: true });
  const bytes = await readFile(eos);
  await writeFile(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
  await writeFile(garbage, "this is not a model\n".repeat(64));
  return { dir, eos, loop, truncated, garbage, missing: join(dir, "missing.gguf"), remove: () => rm(dir, { recursive: true, force: true }) };
}

export interface LogEntry {
  level: number;
  msg: string;
  [key: string]: unknown;
}

/** A pino logger writing into `entries`. */
export function capturingLogger(level = "debug"): { logger: Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split("\n")) if (line.trim()) entries.push(JSON.parse(line) as LogEntry);
      done();
    },
  });
  return { logger: createLogger(level, sink), entries };
}

export const PROMPT: ChatTurn[] = [
  { role: "system", content: "You are Dev, the AI member of a test conversation." },
  { role: "user", content: "[Alice] Hello, who are you?" },
];

export interface Reader {
  controller: AbortController;
  deltas: AiDelta[];
  text(): string;
  /** Settles when the stream ends; rejects with its failure. */
  done: Promise<void>;
  /** Resolves once at least `n` deltas arrived (rejects if the stream ends first). */
  atLeast(n: number): Promise<void>;
}

export function read(provider: AiProvider, messages: ChatTurn[] = PROMPT): Reader {
  const controller = new AbortController();
  const deltas: AiDelta[] = [];
  const waiting: { n: number; resolve(): void; reject(e: Error): void }[] = [];
  let ended = false;
  const check = () => {
    for (const w of [...waiting]) {
      if (deltas.length < w.n) continue;
      waiting.splice(waiting.indexOf(w), 1);
      w.resolve();
    }
  };
  const done = (async () => {
    try {
      for await (const delta of provider.stream({ messages, signal: controller.signal })) {
        deltas.push(delta);
        check();
      }
    } finally {
      ended = true;
      for (const w of waiting.splice(0)) w.reject(new Error(`the stream ended after ${deltas.length} deltas`));
    }
  })();
  done.catch(() => undefined);
  return {
    controller,
    deltas,
    done,
    text: () => deltas.map((d) => d.content ?? "").join(""),
    atLeast: (n) =>
      new Promise<void>((resolve, reject) => {
        if (deltas.length >= n) return resolve();
        if (ended) return reject(new Error(`the stream ended after ${deltas.length} deltas`));
        waiting.push({ n, resolve, reject });
      }),
  };
}

// --- a conversation seen by people ---------------------------------------------------------

let said = 0;

/** A person posts `text` into the conversation; returns the message id. */
export function say(peer: Peer, who: Session, text: string): string {
  const id = `local${++said}x${Math.random().toString(36).slice(2, 8)}`;
  appendMessage(peer.doc, { id, role: "user", authorId: who.user.id, authorName: who.user.displayName, createdAt: Date.now(), text });
  return id;
}

export function replyTo(peer: Peer, messageId: string): Message | undefined {
  return readMessages(peer.doc).filter((m) => m.role === "assistant" && m.replyTo === messageId).at(-1);
}

/** Resolves with the reply once it has left `streaming`. */
export async function settled(peer: Peer, messageId: string, timeoutMs = 15_000): Promise<Message> {
  await until(peer.doc, () => {
    const reply = replyTo(peer, messageId);
    return !!reply && reply.status !== "streaming";
  }, timeoutMs);
  return replyTo(peer, messageId)!;
}

/** The AI's presence as `peer` sees it. */
export function aiPresence(peer: Peer): AiPresence | null {
  for (const state of peer.awareness().getStates().values()) {
    if (readPeer(state)?.user.kind === "ai") return readAiPresence(state);
  }
  return null;
}

export function untilPresence(peer: Peer, predicate: (ai: AiPresence) => boolean, timeoutMs = 10_000): Promise<AiPresence> {
  const awareness = peer.awareness();
  return new Promise((resolve, reject) => {
    const check = () => {
      const ai = aiPresence(peer);
      if (!ai || !predicate(ai)) return;
      clearTimeout(timer);
      awareness.off("change", check);
      resolve(ai);
    };
    const timer = setTimeout(() => {
      awareness.off("change", check);
      reject(new Error(`AI presence not reached; last: ${JSON.stringify(aiPresence(peer))}`));
    }, timeoutMs);
    awareness.on("change", check);
    check();
  });
}

/** Two people (owner and editor) in a fresh conversation, each with a synced peer. */
export async function twoPeople(server: TestServer, peers: Peer[]) {
  const c = await workspaceWithConversation(server.url);
  const bob = await addMember(server.url, c.owner, c.workspaceId, "editor");
  const a = connect(server.wsUrl, c.docName, c.owner.token);
  const b = connect(server.wsUrl, c.docName, bob.token);
  peers.push(a, b);
  await Promise.all([a.synced, b.synced]);
  return { ...c, alice: c.owner, bob, a, b };
}
