// A strict reader of Server-Sent Events (the WHATWG event-stream format) over a fetch body.
// It exists because the OpenAI client's own parser hides what the AI peer must see: whether
// `[DONE]` arrived, and which bytes were only keepalive comments.

export interface SseEvent {
  /** The `event:` field, "" when absent. */
  event: string;
  /** The `data:` lines of one event, joined by "\n". */
  data: string;
}

/** One line may not grow past this without a line break: a sign of a body that is not SSE. */
const MAX_LINE_CHARS = 1 << 20;

export class SseFormatError extends Error {}

/**
 * Yields each complete event. Comments (`: keepalive`) yield nothing. Bytes may be split
 * anywhere, also inside a UTF-8 character or between `\r` and `\n`. A trailing event with no
 * blank line after it is incomplete and is dropped, as the format says.
 */
export async function* readEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder("utf-8");
  let buffer = "";
  let data: string[] = [];
  let event = "";
  let finished = false;
  try {
    while (!finished) {
      const { value, done } = await reader.read();
      finished = done;
      buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
      for (;;) {
        const end = lineEnd(buffer, finished);
        if (end === null) break;
        const line = buffer.slice(0, end.index);
        buffer = buffer.slice(end.index + end.length);
        if (line === "") {
          if (data.length > 0) yield { event, data: data.join("\n") };
          data = [];
          event = "";
          continue;
        }
        if (line.startsWith(":")) continue;
        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        const raw = colon < 0 ? "" : line.slice(colon + 1);
        const value = raw.startsWith(" ") ? raw.slice(1) : raw;
        if (field === "data") data.push(value);
        else if (field === "event") event = value;
      }
      if (buffer.length > MAX_LINE_CHARS) throw new SseFormatError("an event-stream line grew past 1 MiB");
    }
  } finally {
    // Stops the download when the consumer leaves early (after [DONE], on stop or failure).
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

function lineEnd(buffer: string, finished: boolean): { index: number; length: number } | null {
  for (let i = 0; i < buffer.length; i++) {
    const c = buffer.charCodeAt(i);
    if (c === 10) return { index: i, length: 1 };
    if (c === 13) {
      // A lone "\r" at the end may be the first half of "\r\n": wait for the next bytes.
      if (i === buffer.length - 1 && !finished) return null;
      return { index: i, length: buffer.charCodeAt(i + 1) === 10 ? 2 : 1 };
    }
  }
  return null;
}
