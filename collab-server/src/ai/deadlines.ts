import type { AiDelta } from "./provider";

export interface Deadlines {
  /** From the request until the first delta (retries included). */
  firstTokenMs: number;
  /** Between two deltas; keepalive comments never produce one, so they do not count. */
  idleMs: number;
  /** The whole reply. */
  totalMs: number;
}

export type EndReason = "stop" | "shutdown" | "first-token" | "idle" | "total";

/** Why a reply's controller was aborted; its message is what the reply's `error` says. */
export class ReplyEnd extends Error {
  constructor(readonly reason: EndReason, message: string) {
    super(message);
    this.name = "ReplyEnd";
  }
}

export function endReasonOf(signal: AbortSignal): ReplyEnd | null {
  return signal.aborted && signal.reason instanceof ReplyEnd ? signal.reason : null;
}

/**
 * Passes deltas on while enforcing the three deadlines (SPEC AI-5). A missed deadline aborts
 * the controller, which cancels the upstream request; the loop then ends at once, even if
 * the source ignores the signal.
 */
export async function* withDeadlines(source: AsyncIterable<AiDelta>, controller: AbortController, deadlines: Deadlines): AsyncGenerator<AiDelta> {
  const iterator = source[Symbol.asyncIterator]();
  const end = (reason: EndReason, message: string) => () => controller.abort(new ReplyEnd(reason, message));
  const total = setTimeout(end("total", `The reply took longer than the ${seconds(deadlines.totalMs)} limit and was cut off.`), deadlines.totalMs);
  const aborted = new Promise<never>((_, reject) => {
    const onAbort = () => reject(controller.signal.reason);
    if (controller.signal.aborted) onAbort();
    else controller.signal.addEventListener("abort", onAbort, { once: true });
  });
  aborted.catch(() => undefined);
  // The wait for each next delta is timed by one timer, re-armed per delta, not one made per token.
  const firstToken = setTimeout(end("first-token", `The AI endpoint sent nothing for ${seconds(deadlines.firstTokenMs)}.`), deadlines.firstTokenMs);
  let idle: NodeJS.Timeout | undefined;
  try {
    for (;;) {
      if (idle) idle.refresh();
      const step = await Promise.race([iterator.next(), aborted]);
      if (step.done) return;
      if (!idle) {
        clearTimeout(firstToken);
        idle = setTimeout(end("idle", `The AI endpoint stopped sending for ${seconds(deadlines.idleMs)} in the middle of the reply.`), deadlines.idleMs);
      }
      yield step.value;
    }
  } finally {
    clearTimeout(firstToken);
    clearTimeout(idle);
    clearTimeout(total);
    // Not awaited: a source stuck in a read must not hold the reply open.
    void iterator.return?.()?.catch(() => undefined);
  }
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}
