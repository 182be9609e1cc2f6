// The product: startJunoServer on a temp DATA_DIR (real auth, real LevelDB, or PostgreSQL and
// Redis when the bench passes DATABASE_URL/REDIS_URL). The store's appendUpdate is wrapped to note
// when each marked update has landed, and the log is read for the AI peer's reply reports; the
// server code is untouched.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import * as Y from "yjs";
import { parseConfig } from "../collab-server/src/config";
import { createLogger } from "../collab-server/src/log";
import { startJunoServer } from "../collab-server/src/server";
import { nowMs, type AiReplyReport } from "./protocol";
import { replyTracer } from "./reply-trace";
import type { Target } from "./server-entry";
import { editedText, MARKER_START, markersIn } from "./workload";

export async function startJunoKit(env: Record<string, string> = {}): Promise<Target> {
  const dataDir = await mkdtemp(join(tmpdir(), "junokit-bench-"));
  const config = parseConfig({
    LOG_LEVEL: "silent",
    ...env,
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    APP_DIST: join(dataDir, "no-app"),
  });
  const replies: AiReplyReport[] = [];
  const server = await startJunoServer(config, createLogger(config.logLevel, logReader(replies)));
  const store = server.store;
  const appendedAt = new Map<number, number>();
  const append = store.appendUpdate.bind(store);
  store.appendUpdate = async (name, update) => {
    await append(name, update);
    // Cheap native check first: only the edits of the durability scenario carry markers.
    if (!Buffer.from(update.buffer, update.byteOffset, update.byteLength).includes(MARKER_START)) return;
    const landed = nowMs();
    for (const seq of markersIn(update)) if (!appendedAt.has(seq)) appendedAt.set(seq, landed);
  };
  const documents = server.collab.hocuspocus.documents;
  const tracer = replyTracer((name) => documents.get(name));
  return {
    ready: { ready: true, wsUrl: `ws://127.0.0.1:${server.port}/collab`, httpUrl: server.url },
    async handle(command) {
      if (command.cmd === "isLoaded") return documents.has(command.doc);
      if (command.cmd === "documents") return documents.size;
      if (command.cmd === "traceReply") return tracer.start(command.doc, command.replyTo);
      if (command.cmd === "replyTrace") return tracer.take();
      if (command.cmd === "appendTimes") return [...appendedAt.entries()];
      if (command.cmd === "storeHas") return storeHolds(command.doc, command.marker);
      if (command.cmd === "aiReplies") return replies;
      throw new Error(`JunoKit target does not answer ${command.cmd}`);
    },
    async stop() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };

  /** A second, independent read: rebuild the document from what the store holds right now. */
  async function storeHolds(doc: string, marker: string): Promise<boolean> {
    const copy = new Y.Doc();
    for (const update of await store.loadDocument(doc)) Y.applyUpdate(copy, update);
    return editedText(copy)?.toString().includes(marker) ?? false;
  }
}


/**
 * The server's log, read instead of printed: the AI peer's "AI reply finished" lines are kept
 * (replies, writes per reply, prompt → provider time); errors go to stderr; the rest is dropped.
 */
function logReader(replies: AiReplyReport[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      const line = chunk.toString("utf8");
      if (line.includes('"AI reply finished"')) {
        const entry = JSON.parse(line) as AiReplyReport;
        replies.push({ replyTo: entry.replyTo, status: entry.status, startMs: entry.startMs, deltas: entry.deltas, writes: entry.writes });
      } else if (line.includes('"level":50') || line.includes('"level":60')) {
        process.stderr.write(`[junokit] ${line}`);
      }
      done();
    },
  });
}
