import { describe, expect, it } from "vitest";
import { readEvents, SseFormatError } from "./sse";

function body(chunks: (string | Uint8Array)[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const c of chunks) controller.enqueue(typeof c === "string" ? encoder.encode(c) : c);
      controller.close();
    },
  });
}

async function events(stream: ReadableStream<Uint8Array>) {
  const out = [];
  for await (const e of readEvents(stream)) out.push(e);
  return out;
}

const WIRE = ': keepalive\n\ndata: {"a":"Grüße 👋"}\r\n\r\nevent: error\ndata: line1\ndata: line2\n\n: ping\rdata:[DONE]\r\r';
const EXPECTED = [
  { event: "", data: '{"a":"Grüße 👋"}' },
  { event: "error", data: "line1\nline2" },
  { event: "", data: "[DONE]" },
];

describe("SSE reader (SPEC AI-5)", () => {
  it("reads events, skips comments, handles \\n, \\r\\n and \\r line ends", async () => {
    expect(await events(body([WIRE]))).toEqual(EXPECTED);
  });

  it("gives the same events when the bytes are split at every possible point", async () => {
    const bytes = new TextEncoder().encode(WIRE);
    for (let cut = 1; cut < bytes.length; cut++) {
      expect(await events(body([bytes.slice(0, cut), bytes.slice(cut)]))).toEqual(EXPECTED);
    }
    expect(await events(body([...bytes].map((b) => new Uint8Array([b]))))).toEqual(EXPECTED);
  });

  it("drops a last event that never got its blank line (a cut stream)", async () => {
    expect(await events(body(['data: {"x":1}\n\ndata: {"partial":'])) ).toEqual([{ event: "", data: '{"x":1}' }]);
  });

  it("refuses a body that is one endless line", async () => {
    await expect(events(body(["x".repeat((1 << 20) + 10)]))).rejects.toBeInstanceOf(SseFormatError);
  });
});
