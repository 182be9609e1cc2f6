// The product: startJunoServer on a temp DATA_DIR (real auth, real LevelDB). The store's
// appendUpdate is wrapped to note when each marked update has landed; the server code is untouched.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as Y from "yjs";
import { parseConfig } from "../collab-server/src/config";
import { createLogger } from "../collab-server/src/log";
import { startJunoServer } from "../collab-server/src/server";
import { nowMs } from "./protocol";
import type { Target } from "./server-entry";
import { editedText, markersIn } from "./workload";

export async function startJunoKit(): Promise<Target> {
  const dataDir = await mkdtemp(join(tmpdir(), "junokit-bench-"));
  const config = parseConfig({
    PORT: "0",
    HOST: "127.0.0.1",
    DATA_DIR: dataDir,
    APP_DIST: join(dataDir, "no-app"),
    LOG_LEVEL: "silent",
  });
  const server = await startJunoServer(config, createLogger("silent"));
  const store = server.store;
  const appendedAt = new Map<number, number>();
  const append = store.appendUpdate.bind(store);
  store.appendUpdate = async (name, update) => {
    await append(name, update);
    const landed = nowMs();
    for (const seq of markersIn(update)) if (!appendedAt.has(seq)) appendedAt.set(seq, landed);
  };
  const documents = server.collab.hocuspocus.documents;
  return {
    ready: { ready: true, wsUrl: `ws://127.0.0.1:${server.port}/collab`, httpUrl: server.url },
    async handle(command) {
      if (command.cmd === "isLoaded") return documents.has(command.doc);
      if (command.cmd === "documents") return documents.size;
      if (command.cmd === "appendTimes") return [...appendedAt.entries()];
      if (command.cmd === "storeHas") return storeHolds(command.doc, command.marker);
      throw new Error(`JunoKit target does not answer ${command.cmd}`);
    },
    async stop() {
      await server.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };

  /** A second, independent read: rebuild the document from what the store holds right now. */
  async function storeHolds(doc: string, marker: string): Promise<boolean> {
    const copy = new Y.Doc();
    for (const update of await store.loadDocument(doc)) Y.applyUpdate(copy, update);
    return editedText(copy)?.toString().includes(marker) ?? false;
  }
}

