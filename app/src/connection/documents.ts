// One WebSocket per tab multiplexing every open document (DESIGN.md §6). Each document is
// bound to the device's cache before the network (open-document.ts); this module decides when
// documents open and close, keeps those with undelivered changes open until the server has
// them (also across reloads, via the outbox), replaces a copy whose server document was reset,
// and says whether the tab is live, reconnecting or offline and how much waits to sync.
import { HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { parseDocName } from "@junokit/doc-model";
import type * as Y from "yjs";
import { cacheName, deleteDatabase, readGeneration } from "../cache";
import { OpenDocument, type DocumentHandle, type DocumentOptions } from "./open-document";
import { waitingDocuments } from "./outbox";
import { forgetScreen } from "./screens";
import { connectionState, type ConnectionState, type SocketStatus } from "./status";
import { createStore } from "../store";

export type { DocumentHandle, DocumentState } from "./open-document";

export interface ConnectionOptions extends DocumentOptions {
  url: string;
  /** How long a released document stays open, so switching back and forth is instant. */
  graceMs?: number;
  /**
   * When the server's copy was reset: how to carry over what this device wrote that the server
   * never acknowledged (a conversation's unsent messages and notes edits); says what it carried.
   */
  rescueOf?(
    name: string,
    doc: Y.Doc,
    isAcknowledged: (type: Y.AbstractType<any>) => boolean,
    acknowledged: ReadonlyMap<number, number>,
  ): ((fresh: Y.Doc) => string | null) | null;
  /** Whether the person is still signed in here (another tab may just have signed out). */
  stillSignedIn?(): boolean;
}

/**
 * Reconnection: exponential backoff from 1 s, doubling, capped at 30 s, each wait drawn at
 * random between 0.5 s and the computed delay (jitter), so a restarted server is not hit by
 * every client at the same instant. Retries never stop; going online retries at once.
 */
export const RECONNECT = { delay: 1000, factor: 2, minDelay: 500, maxDelay: 30_000, jitter: true, maxAttempts: 0 } as const;

/** A WebSocket still not open after this long is given up and tried again. */
const CONNECT_TIMEOUT_MS = 8000;
const WATCHDOG_MS = 5000;

export const RESET_NOTICE =
  "This conversation was reset on the server (restored or imported again), so the copy on this device was replaced with the server's.";

export type Connection = ReturnType<typeof createConnection>;

export function createConnection(options: ConnectionOptions) {
  const graceMs = options.graceMs ?? 15_000;
  // Offline at start (a reload without network): no attempt until the browser says it's back.
  const socket = new HocuspocusProviderWebsocket({ url: options.url, ...RECONNECT, autoConnect: navigator.onLine });
  const entries = new Map<string, OpenDocument>();
  const status = createStore<ConnectionState>("connecting");
  const waiting = createStore(0);
  let socketStatus: SocketStatus = "connecting";
  let wasLive = false;
  let destroyed = false;

  const updateStatus = () => {
    if (socketStatus === "connected") wasLive = true;
    status.set(connectionState(socketStatus, navigator.onLine, wasLive));
  };
  // A connection attempt can hang in "connecting" (a network that comes back half-way): the
  // provider has no per-attempt timeout, so one is kept here, and a hung attempt starts over.
  let connectingSince: ReturnType<typeof setTimeout> | null = null;
  const onSocketStatus = ({ status: s }: { status: SocketStatus }) => {
    socketStatus = s;
    if (connectingSince) clearTimeout(connectingSince);
    connectingSince = s === "connecting" ? setTimeout(restartAttempt, CONNECT_TIMEOUT_MS) : null;
    updateStatus();
  };
  const restartAttempt = () => {
    connectingSince = null;
    if (destroyed || socketStatus !== "connecting" || !navigator.onLine) return;
    socket.disconnect();
    void socket.connect().catch(() => undefined);
  };
  // The browser knows about lost networks before a WebSocket does: drop the socket at once
  // when offline and reconnect as soon as the network is back, instead of waiting for a
  // timeout or the backoff. Reconnecting re-syncs every document, sending offline edits.
  const onOffline = () => {
    socket.disconnect();
    updateStatus();
  };
  const retryNow = () => {
    updateStatus();
    if (socketStatus !== "connected") void socket.connect().catch(() => undefined);
  };
  const onVisible = () => {
    if (document.visibilityState === "visible" && navigator.onLine) retryNow();
  };
  // A dropped socket that nothing will retry (the "online" event came before the network
  // really was back, say) is picked up again: the provider retries only what it started.
  const watchdog = setInterval(() => {
    if (!destroyed && navigator.onLine && socketStatus === "disconnected" && !socket.shouldConnect) retryNow();
  }, WATCHDOG_MS);
  socket.on("status", onSocketStatus);
  window.addEventListener("online", retryNow);
  window.addEventListener("offline", onOffline);
  document.addEventListener("visibilitychange", onVisible);
  updateStatus();

  const link = {
    socket,
    options,
    changed: () => waiting.set([...entries.values()].reduce((sum, e) => sum + e.state.get().waiting, 0)),
    release,
    replace: (entry: OpenDocument, reason: "server" | "lost") => void replace(entry, reason),
  };

  function open(name: string): DocumentHandle {
    const existing = entries.get(name);
    // While a copy is being replaced it stays listed (closed): opening it then must not start
    // a second copy on the database that is about to be deleted.
    if (existing && (!existing.closed || existing.replacing)) {
      existing.refs += 1;
      if (existing.closeTimer) clearTimeout(existing.closeTimer);
      existing.closeTimer = null;
      return existing.handle;
    }
    const entry = new OpenDocument(name, link);
    entries.set(name, entry);
    return entry.handle;
  }

  function release(entry: OpenDocument): void {
    if (entry.closed) return;
    entry.refs -= 1;
    if (entry.refs > 0) return;
    entry.closeTimer = setTimeout(() => {
      if (entries.get(entry.name) === entry) entries.delete(entry.name);
      void entry.close(true);
      link.changed();
    }, graceMs);
  }

  /**
   * Throws this copy away and opens the document afresh from the server. Across tabs, a lock
   * and the cache generation make sure only the first tab to notice deletes the cache and
   * carries over the unsent messages; the others just reopen.
   */
  async function replace(entry: OpenDocument, reason: "server" | "lost"): Promise<void> {
    if (entry.replacing || destroyed) return;
    // Signed out in another tab (which deleted the caches): this connection is about to close;
    // reopening anything would only bring the deleted databases back. That tab holds the
    // sign-out lock until it is done, by when its removal of the session has reached us.
    if (reason === "lost") await withTabLock(signOutLock(options.userId), async () => undefined);
    if (destroyed || (options.stillSignedIn && !options.stillSignedIn())) return;
    entry.replacing = true;
    const carry = reason === "server" ? (options.rescueOf?.(entry.name, entry.doc, (t) => entry.ack.isAcknowledged(t), entry.ack.acknowledged) ?? null) : null;
    await entry.close(false);
    link.changed();
    const dbName = cacheName(options.userId, entry.name);
    const factory = options.indexedDB !== undefined ? options.indexedDB : defaultFactory();
    let first = false;
    await withTabLock(`junokit-reset:${dbName}`, async () => {
      first = factory !== null && entry.generation !== null && (await readGeneration(factory, dbName)) === entry.generation;
      if (first && factory) await deleteDatabase(factory, dbName);
    });
    if (entries.get(entry.name) === entry) entries.delete(entry.name);
    if (destroyed) return;
    forgetScreen(options.userId, entry.name);
    // The server may still be closing the old copy's session of this document on our socket;
    // a new one for the same name would be routed to it and lost. Start the socket afresh
    // (every open document re-syncs, which a rare reset can afford).
    const reconnect = socket.shouldConnect;
    socket.disconnect();
    const fresh = open(entry.name);
    if (reconnect && navigator.onLine) void socket.connect().catch(() => undefined);
    const opened = entries.get(entry.name)!;
    // Only now does the screen follow (useDocument opens the name again and gets the fresh copy).
    entry.patch({ replaced: true });
    if (reason === "server") opened.patch({ notice: RESET_NOTICE });
    // After the sync message has been handled (not from inside it), so what is carried is a
    // plain local change, appended after the server's messages.
    opened.whenSynced(() => setTimeout(() => carryOver(), 0));
    const carryOver = () => {
      if (opened.closed) return;
      const carried = first && carry ? carry(fresh.doc) : null;
      if (carried) opened.patch({ notice: `${RESET_NOTICE} ${carried}` });
      fresh.release();
    };
  }

  // Documents with changes an earlier session could not deliver: open them so they go out.
  for (const name of waitingDocuments(options.userId)) {
    if (parseDocName(name)) open(name).release();
  }

  return {
    socket,
    status,
    /** Changes across all open documents that the server has not acknowledged. */
    waiting,
    open,
    /** Reconnects at once instead of waiting for the next backoff attempt. */
    retryNow,
    /** Open documents by name (for the debug handle and tests). */
    openDocuments: () => new Map([...entries].map(([name, e]) => [name, e.handle])),
    /** Closes everything; resolves once every cache is closed (sign-out deletes them next). */
    async destroy(): Promise<void> {
      if (destroyed) return;
      destroyed = true;
      if (connectingSince) clearTimeout(connectingSince);
      clearInterval(watchdog);
      socket.off("status", onSocketStatus);
      window.removeEventListener("online", retryNow);
      window.removeEventListener("offline", onOffline);
      document.removeEventListener("visibilitychange", onVisible);
      const closing = [...entries.values()].map((e) => e.close(true));
      entries.clear();
      socket.destroy();
      await Promise.all(closing);
    },
  };
}

function defaultFactory(): IDBFactory | null {
  return typeof indexedDB === "undefined" ? null : indexedDB;
}

/** The lock a tab holds while it signs a person out (see `replace`). */
export function signOutLock(userId: string): string {
  return `junokit-signout:${userId}`;
}

/** Runs `fn` holding a lock shared by this browser's tabs (Web Locks), or just runs it. */
export async function withTabLock(name: string, fn: () => Promise<void>): Promise<void> {
  const locks = typeof navigator !== "undefined" ? navigator.locks : undefined;
  if (!locks) return fn();
  await locks.request(name, fn);
}
