// The client side of every scenario: raw sockets, Hocuspocus providers, and the accounts,
// workspaces and conversations JunoKit needs before a provider may open a document.
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import WebSocket from "ws";
import * as Y from "yjs";
import { api, connect, workspaceWithConversation, type Peer } from "../collab-server/test/support/server";
import { BARE_TOKEN } from "./protocol";
import type { TargetServer } from "./targets";
import type { Author } from "./workload";

export type { Peer };

/** Who the bench is on a Hocuspocus target, and how it gets a fresh conversation there. */
export interface DocAccess {
  token: string;
  author: Author;
  newConversation(): Promise<string>;
}

let bareCounter = 0;

export async function docAccess(target: TargetServer): Promise<DocAccess> {
  if (target.kind === "bare") {
    return { token: BARE_TOKEN, author: { id: "u1", name: "U1" }, newConversation: async () => `bench/doc-${++bareCounter}` };
  }
  if (target.kind !== "junokit") throw new Error("raw ws has no documents");
  const base = target.httpUrl;
  const first = await workspaceWithConversation(base);
  let firstUnused: string | undefined = first.docName;
  return {
    token: first.owner.token,
    author: { id: first.owner.user.id, name: first.owner.user.displayName },
    async newConversation() {
      if (firstUnused) {
        const name = firstUnused;
        firstUnused = undefined;
        return name;
      }
      const res = await api(base, `/api/workspaces/${first.workspaceId}/conversations`, {
        token: first.owner.token,
        body: { title: "Bench", persona: "dev" },
      });
      if (res.status !== 201) throw new Error(`creating a conversation failed: ${res.status}`);
      return res.body.docName as string;
    },
  };
}

/** A provider on its own socket (as a browser tab has), already attached. */
export function openPeer(target: TargetServer, docName: string, token: string): Peer {
  return connect(target.wsUrl, docName, token);
}

/** Bounded wait for a promise; the bench never hangs on a lost message. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms))),
  ]);
}

/** Opens peers in waves, so a burst of handshakes does not stand in for idle connections. */
export async function openPeers(target: TargetServer, docName: string, token: string, count: number, wave = 50): Promise<Peer[]> {
  const peers: Peer[] = [];
  for (let start = 0; start < count; start += wave) {
    const batch = Array.from({ length: Math.min(wave, count - start) }, () => openPeer(target, docName, token));
    peers.push(...batch);
    await within(Promise.all(batch.map((p) => p.synced)), 30_000, `syncing ${batch.length} peers`);
  }
  return peers;
}

export function closePeers(peers: Peer[]): void {
  for (const peer of peers) peer.destroy();
}

export interface RawPeer {
  socket: WebSocket;
  opened: Promise<void>;
}

export function openRawPeer(target: TargetServer): RawPeer {
  const socket = new WebSocket(target.wsUrl);
  const opened = new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  return { socket, opened };
}

export async function openRawPeers(target: TargetServer, count: number, wave = 50): Promise<RawPeer[]> {
  const peers: RawPeer[] = [];
  for (let start = 0; start < count; start += wave) {
    const batch = Array.from({ length: Math.min(wave, count - start) }, () => openRawPeer(target));
    peers.push(...batch);
    await within(Promise.all(batch.map((p) => p.opened)), 30_000, `opening ${batch.length} sockets`);
  }
  return peers;
}

export function closeRawPeers(peers: RawPeer[]): void {
  for (const peer of peers) peer.socket.terminate();
}

/** A few shared sockets (multiplexing, as the app does) for many documents. */
export function openSockets(target: TargetServer, count: number): HocuspocusProviderWebsocket[] {
  return Array.from({ length: count }, () => new HocuspocusProviderWebsocket({ url: target.wsUrl, WebSocketPolyfill: WebSocket as never }));
}

/**
 * One provider per document, spread over the shared sockets; once a document has synced,
 * `fill` writes its content (after the server's state, so e.g. switching the AI off is not a
 * concurrent write that may lose). Resolves once every write is acknowledged.
 */
export async function openDocuments(
  sockets: HocuspocusProviderWebsocket[],
  names: string[],
  token: string,
  fill: (doc: Y.Doc) => void,
): Promise<HocuspocusProvider[]> {
  const providers = names.map((name, i) => {
    const document = new Y.Doc();
    let synced!: () => void;
    const ready = new Promise<void>((resolve) => (synced = resolve));
    const onSynced = () => {
      fill(document);
      synced();
    };
    const provider = new HocuspocusProvider({ websocketProvider: sockets[i % sockets.length]!, name, document, token, onSynced });
    provider.attach();
    return { provider, ready };
  });
  await within(Promise.all(providers.map((p) => p.ready)), 60_000, `syncing ${names.length} documents`);
  await within(Promise.all(providers.map((p) => acknowledged(p.provider))), 60_000, `acknowledging ${names.length} documents`);
  return providers.map((p) => p.provider);
}

/** Resolves once the server has acknowledged every local change of the provider. */
export function acknowledged(provider: HocuspocusProvider): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!provider.hasUnsyncedChanges) return resolve();
    const check = () => {
      if (provider.hasUnsyncedChanges) return;
      provider.off("unsyncedChanges", check);
      resolve();
    };
    provider.on("unsyncedChanges", check);
  });
}

/** Polls the server (over IPC, off the measured path) until a condition on it holds. */
export async function untilServer(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
