// The framework baseline: Hocuspocus 4 with no extensions; onAuthenticate compares a constant
// token, and onLoadDocument applies a snapshot the bench seeded (its only "storage").
import { Server, type onLoadDocumentPayload } from "@hocuspocus/server";
import * as Y from "yjs";
import { BARE_TOKEN } from "./protocol";
import type { Target } from "./server-entry";

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
  return {
    ready: { ready: true, wsUrl: `ws://127.0.0.1:${server.address.port}`, httpUrl: "" },
    async handle(command) {
      if (command.cmd === "seed") return void snapshots.set(command.doc, command.update);
      if (command.cmd === "isLoaded") return documents.has(command.doc);
      if (command.cmd === "documents") return documents.size;
      throw new Error(`bare Hocuspocus does not answer ${command.cmd}`);
    },
    stop: () => server.destroy(),
  };
}

