import { messageReasoning, messageText, setStatus, type MessageMap, type MessageStatus } from "@junokit/doc-model";
import type * as Y from "yjs";
import { SERVER_ORIGIN } from "../collab";
import type { AiDelta } from "./provider";

/**
 * Streams deltas into a reply with few document updates (SPEC AI-3): the first delta, and
 * any delta after a quiet spell, is written at once (leading edge); the rest is coalesced
 * into at most one transaction per `intervalMs`. The final status rides on the last write.
 */
export class ReplyWriter {
  private text = "";
  private reasoning = "";
  private lastWrite = -Infinity;
  private timer: NodeJS.Timeout | undefined;
  /** Transactions written so far (measured by tests and the benchmark). */
  writes = 0;
  /** Characters of content and reasoning written so far. */
  chars = 0;
  /** Deltas received so far. */
  deltas = 0;

  constructor(
    private readonly doc: Y.Doc,
    private readonly reply: MessageMap,
    private readonly intervalMs: number,
  ) {}

  push(delta: AiDelta): void {
    this.deltas++;
    this.text += delta.content ?? "";
    this.reasoning += delta.reasoning ?? "";
    if (this.timer) return;
    const wait = this.lastWrite + this.intervalMs - performance.now();
    if (wait <= 0) this.flush();
    else this.timer = setTimeout(() => this.flush(), wait);
  }

  /** Writes what is buffered and sets the final status, in one transaction. */
  finish(status: MessageStatus, error?: string): void {
    this.write(() => setStatus(this.reply, status, error));
  }

  private flush(): void {
    this.write(() => undefined);
  }

  private write(andThen: () => void): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const text = this.text;
    const reasoning = this.reasoning;
    this.text = "";
    this.reasoning = "";
    this.doc.transact(() => {
      if (text) messageText(this.reply).insert(messageText(this.reply).length, text);
      if (reasoning) messageReasoning(this.reply).insert(messageReasoning(this.reply).length, reasoning);
      andThen();
    }, SERVER_ORIGIN);
    this.chars += text.length + reasoning.length;
    this.writes++;
    this.lastWrite = performance.now();
  }
}
