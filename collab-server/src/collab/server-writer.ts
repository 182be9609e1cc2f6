import type { DirectConnection, Hocuspocus } from "@hocuspocus/server";
import type { DocumentWriter } from "../workspaces";
import type { CollabContext } from "./context";

// How long a document the server wrote stays open for the next write. Busy writers (the
// workspace index during a streaming reply, notifications) reuse one connection instead of
// loading and unloading the document every time.
const HOLD_MS = 2_000;

interface Held {
  connection: Promise<DirectConnection>;
  users: number;
  timer?: NodeJS.Timeout;
}

/** Server-side writes into live documents through direct connections kept open briefly. */
export function createServerWriter(hocuspocus: Hocuspocus<CollabContext>) {
  const held = new Map<string, Held>();

  async function release(docName: string, entry: Held): Promise<void> {
    if (held.get(docName) !== entry || entry.users > 0) return;
    held.delete(docName);
    await (await entry.connection).disconnect();
  }

  const writer: DocumentWriter = {
    async change(docName, fn) {
      let entry = held.get(docName);
      if (!entry) {
        entry = { connection: hocuspocus.openDirectConnection(docName, { server: true }), users: 0 };
        held.set(docName, entry);
        // A document that failed to load is not kept: the next write tries again.
        entry.connection.catch(() => held.get(docName) === entry && held.delete(docName));
      }
      const current = entry;
      current.users++;
      clearTimeout(current.timer);
      try {
        await (await current.connection).transact(fn);
      } finally {
        current.users--;
        if (current.users === 0) current.timer = setTimeout(() => void release(docName, current), HOLD_MS);
      }
    },
  };

  return {
    writer,
    /** Lets go of every held document now (shutdown). */
    async releaseAll(): Promise<void> {
      await Promise.all([...held.entries()].map(async ([docName, entry]) => {
        clearTimeout(entry.timer);
        entry.users = 0;
        await release(docName, entry).catch(() => undefined);
      }));
    },
  };
}
