// Inside a target server: when a streamed reply's text grew in the server's own copy of the
// document (hrtime ms) and the process's CPU time then, so a token's delay splits into
// endpoint → server document and server document → peers, and the CPU of the streaming part
// (first token → last token) can be told from a reply's fixed costs. Read through doc-model;
// the server's code is untouched.
import { messageList, messageText, readMessage, readStatus, type MessageMap } from "@junokit/doc-model";
import type * as Y from "yjs";
import { nowMs, type ReplyTraceResult } from "./protocol";

export interface ReplyTrace extends ReplyTraceResult {
  stop(): void;
}

/** Notes each growth of the text of the assistant message answering `replyTo` in `doc`. */
export function traceReply(doc: Y.Doc, replyTo: string): ReplyTrace {
  // CPU is read twice per reply only: reading it per update would cost the server measurably.
  const trace: ReplyTrace = { arrivals: [], cpuAtFirstMs: Number.NaN, cpuAtEndMs: Number.NaN, stop: () => doc.off("update", onUpdate) };
  let reply: MessageMap | undefined;
  function onUpdate(): void {
    reply ??= messageList(doc).toArray().find((m) => readMessage(m).replyTo === replyTo);
    if (!reply) return;
    const length = messageText(reply).length;
    if (length > (trace.arrivals.at(-1)?.length ?? 0)) {
      trace.arrivals.push({ at: nowMs(), length });
      if (trace.arrivals.length === 1) trace.cpuAtFirstMs = cpuMs();
    }
    if (Number.isNaN(trace.cpuAtEndMs) && readStatus(reply) !== "streaming") trace.cpuAtEndMs = cpuMs();
  }
  doc.on("update", onUpdate);
  return trace;
}

/** This process's CPU time so far (ms), every thread. */
export function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** One trace at a time per target process: the bench follows one reply at a time. */
export function replyTracer(documentOf: (name: string) => Y.Doc | undefined) {
  let current: ReplyTrace | undefined;
  return {
    start(doc: string, replyTo: string): void {
      current?.stop();
      const document = documentOf(doc);
      if (!document) throw new Error(`${doc} is not loaded`);
      current = traceReply(document, replyTo);
    },
    take(): ReplyTraceResult {
      current?.stop();
      const result = { arrivals: current?.arrivals ?? [], cpuAtFirstMs: current?.cpuAtFirstMs ?? Number.NaN, cpuAtEndMs: current?.cpuAtEndMs ?? Number.NaN };
      current = undefined;
      return result;
    },
  };
}
