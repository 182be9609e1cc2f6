// One WebSocket per tab multiplexing every open document (DESIGN.md §6). Each document is
// bound to IndexedDB before the network so cached content paints at once and offline edits
// survive reloads; a BroadcastChannel keeps tabs of this browser in step, also offline.
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import { IndexeddbPersistence } from "y-indexeddb";
import * as Y from "yjs";
import { connectionState, type ConnectionState, type SocketStatus } from "./status";
import { createStore, type Store } from "./store";

export interface DocumentState {
  /** Local (IndexedDB) content has been loaded into the doc. */
  local: boolean;
  /** The first sync with the server is done. */
  synced: boolean;
  /** What the server allows on this document; null until it has answered. */
  scope: "read-write" | "readonly" | null;
  /** Why the server refused the document, if it did. */
  refused: string | null;
}

export interface DocumentHandle {
  name: string;
  doc: Y.Doc;
  provider: HocuspocusProvider;
  state: Store<DocumentState>;
  /** Give the document back; it closes after a short grace period if nobody reopens it. */
  release(): void;
}

export interface ConnectionOptions {
  url: string;
  getToken: () => string | null;
  /** Local data is kept per user, so people sharing a browser never see each other's cache. */
  userId: string;
  /** How long a released document stays open, so switching back and forth is instant. */
  graceMs?: number;
  /** The server refused our token (expired, or signed by an old secret): the session is over. */
  onTokenRefused?: () => void;
}

interface Entry {
  handle: DocumentHandle;
  refs: number;
  closeTimer: ReturnType<typeof setTimeout> | null;
  close(): void;
}

export type Connection = ReturnType<typeof createConnection>;

const LOCAL_LOAD_TIMEOUT_MS = 2000;
const BROADCAST_ORIGIN = Symbol("junokit-tab");

export function createConnection(options: ConnectionOptions) {
  const graceMs = options.graceMs ?? 15_000;
  const socket = new HocuspocusProviderWebsocket({ url: options.url });
  const entries = new Map<string, Entry>();
  const status = createStore<ConnectionState>("connecting");
  let socketStatus: SocketStatus = "connecting";
  let wasLive = false;

  const updateStatus = () => {
    if (socketStatus === "connected") wasLive = true;
    status.set(connectionState(socketStatus, navigator.onLine, wasLive));
  };
  const onSocketStatus = ({ status: s }: { status: SocketStatus }) => {
    socketStatus = s;
    updateStatus();
  };
  // The browser knows about lost networks before a WebSocket does: drop the socket at once
  // when offline and reconnect as soon as the network is back, instead of waiting for a
  // timeout or the backoff. Reconnecting re-syncs every document, sending offline edits.
  const onOffline = () => {
    socket.disconnect();
    updateStatus();
  };
  const onOnline = () => {
    updateStatus();
    void socket.connect().catch(() => undefined);
  };
  socket.on("status", onSocketStatus);
  window.addEventListener("online", onOnline);
  window.addEventListener("offline", onOffline);
  updateStatus();

  function open(name: string): DocumentHandle {
    const existing = entries.get(name);
    if (existing) {
      existing.refs += 1;
      if (existing.closeTimer) clearTimeout(existing.closeTimer);
      existing.closeTimer = null;
      return existing.handle;
    }
    const entry = createEntry(name);
    entries.set(name, entry);
    return entry.handle;
  }

  function createEntry(name: string): Entry {
    const doc = new Y.Doc();
    const state = createStore<DocumentState>({ local: false, synced: false, scope: null, refused: null });
    const patch = (p: Partial<DocumentState>) => state.set({ ...state.get(), ...p });
    const local = new IndexeddbPersistence(`junokit/${options.userId}/${name}`, doc);
    const tabs = bindTabs(`junokit/${options.userId}/${name}`, doc);
    const provider = new HocuspocusProvider({
      websocketProvider: socket,
      name,
      document: doc,
      token: () => options.getToken() ?? "",
      onSynced: ({ state: synced }) => patch({ synced }),
      onAuthenticated: ({ scope }) => patch({ scope, refused: null }),
      onAuthenticationFailed: ({ reason }) => {
        patch({ refused: reason || "permission denied" });
        if (/token/i.test(reason)) options.onTokenRefused?.();
      },
    });
    // Attach only once the local copy is in the doc: the first sync then sends just what
    // the server is missing. A broken IndexedDB (private mode) must not block the network.
    const attach = () => {
      if (entry.closed) return;
      patch({ local: true });
      provider.attach();
    };
    const timeout = setTimeout(attach, LOCAL_LOAD_TIMEOUT_MS);
    local.whenSynced.then(
      () => {
        clearTimeout(timeout);
        attach();
      },
      () => undefined,
    );
    const entry: Entry & { closed: boolean } = {
      closed: false,
      refs: 1,
      closeTimer: null,
      handle: { name, doc, provider, state, release: () => release(name) },
      close() {
        entry.closed = true;
        clearTimeout(timeout);
        provider.destroy();
        tabs.close();
        void local.destroy();
        doc.destroy();
      },
    };
    return entry;
  }

  function release(name: string): void {
    const entry = entries.get(name);
    if (!entry) return;
    entry.refs -= 1;
    if (entry.refs > 0) return;
    entry.closeTimer = setTimeout(() => {
      entries.delete(name);
      entry.close();
    }, graceMs);
  }

  return {
    socket,
    status,
    open,
    /** Open documents by name (for the debug handle and tests). */
    openDocuments: () => new Map([...entries].map(([name, e]) => [name, e.handle])),
    destroy() {
      for (const entry of entries.values()) {
        if (entry.closeTimer) clearTimeout(entry.closeTimer);
        entry.close();
      }
      entries.clear();
      socket.off("status", onSocketStatus);
      window.removeEventListener("online", onOnline);
      window.removeEventListener("offline", onOffline);
      socket.destroy();
    },
  };
}

/** Relays document updates between tabs of this browser, so they agree even offline. */
function bindTabs(channelName: string, doc: Y.Doc): { close(): void } {
  if (typeof BroadcastChannel === "undefined") return { close() {} };
  const channel = new BroadcastChannel(channelName);
  const onUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin !== BROADCAST_ORIGIN) channel.postMessage(update);
  };
  channel.onmessage = (event: MessageEvent<unknown>) => {
    if (event.data instanceof Uint8Array) Y.applyUpdate(doc, event.data, BROADCAST_ORIGIN);
  };
  doc.on("update", onUpdate);
  // A tab opening the document later starts from IndexedDB, which the other tabs keep current.
  return {
    close() {
      doc.off("update", onUpdate);
      channel.close();
    },
  };
}

/** Deletes this user's local copies (on sign-out, so a shared computer keeps nothing). */
export async function forgetLocalData(userId: string): Promise<void> {
  if (typeof indexedDB === "undefined" || typeof indexedDB.databases !== "function") return;
  const prefix = `junokit/${userId}/`;
  const all = await indexedDB.databases();
  await Promise.all(
    all
      .map((d) => d.name)
      .filter((n): n is string => typeof n === "string" && n.startsWith(prefix))
      .map(
        (n) =>
          new Promise<void>((resolve) => {
            const request = indexedDB.deleteDatabase(n);
            request.onsuccess = request.onerror = request.onblocked = () => resolve();
          }),
      ),
  );
}
