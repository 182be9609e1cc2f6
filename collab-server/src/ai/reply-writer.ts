import { messageReasoning, messageText, setStatus, type MessageMap, type MessageStatus } from "@junokit/doc-model";
import type { AiDelta } from "./provider";

/**
 * The least time between two writes of one reply (SPEC AI-3): 30 writes span at least
 * 29 × 35 = 1015 ms, so no second holds more than 29 of them, plus the reply's insert: ≤ 30
 * updates in any second of a reply, its first and last included.
 */
export const MIN_WRITE_GAP_MS = 35;

/**
 * Streams deltas into a reply with few document updates (SPEC AI-3). A delta arriving when the
 * last write is at least a gap ago is written at once, with whatever waited before it (leading
 * edge: the first delta, any after a quiet spell, and in a steady stream the first delta past
 * each gap, so writes follow the stream's own rhythm). A delta arriving sooner waits for that
 * next delta, but never longer than one gap: then a timer writes it. The final status rides on
 * the last write, which keeps the gap too.
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

  /** `transact` writes into the reply's document (the caller's guard and origin). */
  constructor(
    private readonly reply: MessageMap,
    private readonly transact: (write: () => void) => void,
    private readonly gapMs = MIN_WRITE_GAP_MS,
  ) {}

  push(delta: AiDelta): void {
    this.deltas++;
    if (delta.content) this.text += delta.content;
    if (delta.reasoning) this.reasoning += delta.reasoning;
    if (this.untilAllowed() <= 0) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.write();
    } else {
      // The oldest waiting delta arrived after the last write, so this keeps the gap as well.
      this.timer ??= setTimeout(this.flush, this.gapMs);
    }
  }

  /** Writes what is buffered and the final status in one transaction, once the gap allows. */
  async finish(status: MessageStatus, error?: string): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const wait = this.untilAllowed();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    this.write(() => setStatus(this.reply, status, error));
  }

  private untilAllowed(): number {
    return this.lastWrite + this.gapMs - performance.now();
  }

  private readonly flush = (): void => {
    this.timer = undefined;
    // A timer may fire up to a millisecond early (the event loop's clock is coarse): wait out the rest.
    const wait = this.untilAllowed();
    if (wait > 0) this.timer = setTimeout(this.flush, wait);
    else this.write();
  };

  private write(andThen?: () => void): void {
    const text = this.text;
    const reasoning = this.reasoning;
    this.text = "";
    this.reasoning = "";
    this.transact(() => {
      if (text) messageText(this.reply).insert(messageText(this.reply).length, text);
      if (reasoning) messageReasoning(this.reply).insert(messageReasoning(this.reply).length, reasoning);
      andThen?.();
    });
    this.chars += text.length + reasoning.length;
    this.writes++;
    this.lastWrite = performance.now();
  }
}
