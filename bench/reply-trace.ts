// Inside a target server: when a streamed reply's text grew in the server's own copy of the
// document (hrtime ms), so a token's delay splits into endpoint → server document and
// server document → peers. Read through doc-model; the server's code is untouched.
import { messageList, messageText, readMessage, type MessageMap } from "@junokit/doc-model";
import type * as Y from "yjs";
import { nowMs } from "./protocol";

export interface ReplyTrace {
  arrivals: { at: number; length: number }[];
  stop(): void;
}

/** Notes each growth of the text of the assistant message answering `replyTo` in `doc`. */
export function traceReply(doc: Y.Doc, replyTo: string): ReplyTrace {
  const arrivals: ReplyTrace["arrivals"] = [];
  let reply: MessageMap | undefined;
  const onUpdate = () => {
    reply ??= messageList(doc).toArray().find((m) => readMessage(m).replyTo === replyTo);
    if (!reply) return;
    const length = messageText(reply).length;
    if (length > (arrivals.at(-1)?.length ?? 0)) arrivals.push({ at: nowMs(), length });
  };
  doc.on("update", onUpdate);
  return { arrivals, stop: () => doc.off("update", onUpdate) };
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
    take(): ReplyTrace["arrivals"] {
      current?.stop();
      const arrivals = current?.arrivals ?? [];
      current = undefined;
      return arrivals;
    },
  };
}
