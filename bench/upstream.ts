// The baselines' side of AI streaming: ask the scripted OpenAI-compatible endpoint for a
// streamed reply and yield each content token the moment its event is parsed. Deliberately
// minimal (no retries or deadlines): it is the floor JunoKit's AI peer is compared with.

/** Content tokens of a streamed chat completion whose last user turn is `prompt`. */
export async function* upstreamTokens(baseUrl: string, prompt: string): AsyncGenerator<string> {
  const res = await fetch(`${baseUrl}/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ model: "bench", stream: true, messages: [{ role: "user", content: prompt }] }),
    signal: AbortSignal.timeout(60_000),
  });
  if (!res.ok || !res.body) throw new Error(`the endpoint answered ${res.status}`);
  const decoder = new TextDecoder();
  let buffer = "";
  for await (const chunk of res.body) {
    buffer += decoder.decode(chunk as Uint8Array, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!frame.startsWith("data: ")) continue;
      const data = frame.slice(6);
      if (data === "[DONE]") return;
      const token = (JSON.parse(data) as { choices?: { delta?: { content?: string | null } }[] }).choices?.[0]?.delta?.content;
      if (token) yield token;
    }
  }
}
