import { appendMessage, readMessage, type MessageMap } from "@junokit/doc-model";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as Y from "yjs";
import { MIN_WRITE_GAP_MS, ReplyWriter } from "./reply-writer";

/** A streaming reply and a writer whose every transaction is timed, with the text's length after it. */
function streamingReply() {
  const doc = new Y.Doc();
  const reply: MessageMap = appendMessage(doc, { id: "r", role: "assistant", authorId: "ai", authorName: "Dev", createdAt: 1, text: "", status: "streaming" });
  const writes: number[] = [];
  const lengths: number[] = [];
  const writer = new ReplyWriter(reply, (write) => {
    writes.push(performance.now());
    doc.transact(write);
    lengths.push(readMessage(reply).text.length);
  });
  return { reply, writer, writes, lengths };
}

/** When the first write that held `chars` characters of text happened. */
function writtenAt(chars: number, writes: number[], lengths: number[]): number {
  return writes[lengths.findIndex((length) => length >= chars)] ?? Number.NaN;
}

/** Most writes within any one second. */
function busiestSecond(times: number[]): number {
  let most = 0;
  for (let from = 0, to = 0; to < times.length; to++) {
    while (times[to]! - times[from]! >= 1000) from++;
    most = Math.max(most, to - from + 1);
  }
  return most;
}

describe("reply writer (SPEC AI-3)", () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] }));
  afterEach(() => vi.useRealTimers());

  it("AI-3 writes the first delta at once, then at most one write per gap, the final status included; no delta waits longer than a gap", async () => {
    const { reply, writer, writes, lengths } = streamingReply();
    const start = performance.now();
    writer.push({ content: "t0" });
    expect(writes).toEqual([start]);
    expect(readMessage(reply).text).toBe("t0");
    // Two seconds of a token every 10 ms, then the end of the stream; each delta's arrival is noted.
    const pushed = [{ at: start, chars: 2 }];
    for (let i = 1; i < 200; i++) {
      await vi.advanceTimersByTimeAsync(10);
      writer.push({ content: ` t${i}`, ...(i % 50 === 0 ? { reasoning: `r${i}.` } : {}) });
      pushed.push({ at: performance.now(), chars: pushed.at(-1)!.chars + ` t${i}`.length });
    }
    const finished = writer.finish("done");
    await vi.advanceTimersByTimeAsync(MIN_WRITE_GAP_MS);
    await finished;

    const message = readMessage(reply);
    expect(message.text).toBe(Array.from({ length: 200 }, (_, i) => `t${i}`).join(" "));
    expect(message.reasoning).toBe("r50.r100.r150.");
    expect(message.status).toBe("done");
    const gaps = writes.slice(1).map((at, i) => at - writes[i]!);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(MIN_WRITE_GAP_MS);
    // With the reply's insert, still ≤ 30 updates in any second.
    expect(busiestSecond(writes)).toBeLessThanOrEqual(29);
    expect(writer.writes).toBe(writes.length);
    expect(writer.deltas).toBe(200);
    // In a steady stream the writes fall on arrivals: the first delta past each gap carries the rest.
    expect(gaps.slice(0, -1).every((gap) => gap === 40)).toBe(true);
    const waits = pushed.map((p) => writtenAt(p.chars, writes, lengths) - p.at);
    expect(Math.max(...waits)).toBeLessThanOrEqual(30);
  });

  it("AI-3 a delta after a quiet spell is written at once; one within the gap waits for the next delta past it, at most one gap", async () => {
    const { reply, writer, writes } = streamingReply();
    writer.push({ content: "a" });
    await vi.advanceTimersByTimeAsync(200);
    const quietEnd = performance.now();
    writer.push({ content: "b" });
    expect(writes.at(-1)).toBe(quietEnd);
    expect(readMessage(reply).text).toBe("ab");
    await vi.advanceTimersByTimeAsync(5);
    writer.push({ content: "c" });
    await vi.advanceTimersByTimeAsync(MIN_WRITE_GAP_MS - 5);
    expect(readMessage(reply).text).toBe("ab");
    // Past the gap, the next delta goes at once and takes the waiting one along.
    writer.push({ content: "d" });
    expect(readMessage(reply).text).toBe("abcd");
    expect(writes.at(-1)! - quietEnd).toBe(MIN_WRITE_GAP_MS);
    // With no delta after it, a waiting one is written one gap after it arrived.
    await vi.advanceTimersByTimeAsync(5);
    writer.push({ content: "e" });
    await vi.advanceTimersByTimeAsync(MIN_WRITE_GAP_MS - 1);
    expect(readMessage(reply).text).toBe("abcd");
    await vi.advanceTimersByTimeAsync(1);
    expect(readMessage(reply).text).toBe("abcde");
  });

  it("AI-3 the final status waits for the gap after the last write, and rides on it with what is buffered", async () => {
    const { reply, writer, writes } = streamingReply();
    writer.push({ content: "a" });
    writer.push({ content: "b" });
    const finished = writer.finish("stopped");
    expect(readMessage(reply).status).toBe("streaming");
    await vi.advanceTimersByTimeAsync(MIN_WRITE_GAP_MS);
    await finished;
    expect(readMessage(reply)).toMatchObject({ text: "ab", status: "stopped" });
    expect(writes).toHaveLength(2);
    expect(writes[1]! - writes[0]!).toBe(MIN_WRITE_GAP_MS);
  });
});
