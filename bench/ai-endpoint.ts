// The scripted OpenAI-compatible endpoint of the AI streaming scenario, in a process of its own:
// sharing the bench process with 100 peers would delay its token writes and its reading of
// requests behind their work. It is collab-server's test endpoint (openai-sse.ts); its times
// are converted to hrtime ms (CLOCK_MONOTONIC, shared by every process on the host).
import { streamOf, startOpenAiSse, lastUserText, type RecordedRequest } from "../collab-server/test/support/openai-sse";
import { nowMs, type UpstreamRequest } from "./protocol";
import type { Target } from "./server-entry";
import { startChild } from "./targets";

export interface Endpoint {
  /** What AI_BASE_URL should be. */
  baseUrl: string;
  /** The next request whose last user turn holds `prompt` gets `text`, a word-token every `spacingMs`. */
  script(prompt: string, text: string, spacingMs: number): Promise<void>;
  /** The request for `prompt` once it arrived (`ended`: once its reply was written out). */
  request(prompt: string, options: { ended: boolean; timeoutMs: number }): Promise<UpstreamRequest>;
  /** CPU time the endpoint's process used so far (ms). */
  cpuMs(): Promise<number>;
  stop(): Promise<void>;
}

export async function startEndpoint(): Promise<Endpoint> {
  const child = await startChild("endpoint");
  return {
    baseUrl: child.httpUrl,
    script: async (prompt, text, spacingMs) => void (await child.request({ cmd: "script", prompt, text, spacingMs })),
    request: (prompt, { ended, timeoutMs }) => child.request<UpstreamRequest>({ cmd: "upstreamRequest", prompt, ended, timeoutMs }, timeoutMs + 5_000),
    cpuMs: () => child.request<number>({ cmd: "cpu" }),
    stop: () => child.stop(),
  };
}

/** The child's side (server-entry.ts "endpoint"). */
export async function serveEndpoint(): Promise<Target> {
  const sse = await startOpenAiSse();
  // performance.now() here + offset = hrtime ms, taken at one instant.
  const offset = nowMs() - performance.now();
  const times = (r: RecordedRequest): UpstreamRequest => ({
    receivedAt: r.receivedAt + offset,
    emitted: r.emitted.map((e) => ({ text: e.text, at: e.at + offset })),
  });
  return {
    ready: { ready: true, wsUrl: "", httpUrl: sse.baseUrl },
    async handle(command) {
      if (command.cmd === "script") {
        return void sse.when(command.prompt, { steps: streamOf(command.text, { delayMs: command.spacingMs }) }, { once: true });
      }
      if (command.cmd === "upstreamRequest") {
        const request = await sse.nextRequest((r) => lastUserText(r).includes(command.prompt), command.timeoutMs);
        if (command.ended) await request.ended;
        return times(request);
      }
      throw new Error(`the endpoint does not answer ${command.cmd}`);
    },
    stop: () => sse.close(),
  };
}
