// The framework baseline: Hocuspocus 4 with no extensions; onAuthenticate compares a constant
// token, and onLoadDocument applies a snapshot the bench seeded (its only "storage"). For AI
// streaming, a direct connection writes a relayed reply one transaction per token.
import { Server, type DirectConnection, type onLoadDocumentPayload } from "@hocuspocus/server";
import { appendMessage, messageText, setStatus, type MessageMap } from "@junokit/doc-model";
import * as Y from "yjs";
import { BARE_TOKEN, type RelayResult } from "./protocol";
import { cpuMs, replyTracer } from "./reply-trace";
import type { Target } from "./server-entry";
import { upstreamTokens } from "./upstream";

export async function startBare(): Promise<Target> {
  const snapshots = new Map<string, Uint8Array>();
  const server = new Server({
    port: 0,
    address: "127.0.0.1",
    quiet: true,
    stopOnSignals: false,
    async onAuthenticate({ token }) {
      if (token !== BARE_TOKEN) throw new Error("Not authorized");
      return { user: "bench" };
    },
    async onLoadDocument({ documentName, document }: onLoadDocumentPayload) {
      const snapshot = snapshots.get(documentName);
      if (snapshot) Y.applyUpdate(document, snapshot);
    },
  });
  await server.listen();
  const documents = server.hocuspocus.documents;
  const tracer = replyTracer((name) => documents.get(name));
  // One direct connection per document, kept open across replies (as an AI peer holds one).
  const direct = new Map<string, Promise<DirectConnection>>();
  const connection = (doc: string) => {
    if (!direct.has(doc)) direct.set(doc, server.hocuspocus.openDirectConnection(doc, { user: "bench-ai" }));
    return direct.get(doc)!;
  };

  async function relay(url: string, prompt: string, doc: string, replyId: string): Promise<RelayResult> {
    const writer = await connection(doc);
    let reply!: MessageMap;
    await writer.transact((d) => {
      reply = appendMessage(d, { id: replyId, role: "assistant", authorId: "ai", authorName: "AI", createdAt: Date.now(), status: "streaming", replyTo: prompt });
    });
    const result: RelayResult = { tokens: 0, cpuAtFirstMs: Number.NaN, cpuAtLastMs: Number.NaN };
    for await (const token of upstreamTokens(url, prompt)) {
      await writer.transact(() => messageText(reply).insert(messageText(reply).length, token));
      if (result.tokens++ === 0) result.cpuAtFirstMs = cpuMs();
    }
    result.cpuAtLastMs = cpuMs();
    await writer.transact(() => setStatus(reply, "done"));
    return result;
  }

  return {
    ready: { ready: true, wsUrl: `ws://127.0.0.1:${server.address.port}`, httpUrl: "" },
    async handle(command) {
      if (command.cmd === "seed") return void snapshots.set(command.doc, command.update);
      if (command.cmd === "isLoaded") return documents.has(command.doc);
      if (command.cmd === "documents") return documents.size;
      if (command.cmd === "traceReply") return tracer.start(command.doc, command.replyTo);
      if (command.cmd === "replyTrace") return tracer.take();
      if (command.cmd === "relay") {
        if (!command.doc || !command.replyId) throw new Error("relay needs a document and a reply id");
        return relay(command.url, command.prompt, command.doc, command.replyId);
      }
      throw new Error(`bare Hocuspocus does not answer ${command.cmd}`);
    },
    async stop() {
      for (const pending of direct.values()) await (await pending).disconnect();
      await server.destroy();
    },
  };
}

