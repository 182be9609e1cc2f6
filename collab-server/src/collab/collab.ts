import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { Hocuspocus, type Extension, type WebSocketLike } from "@hocuspocus/server";
import crossws from "crossws/adapters/node";
import type { Accounts } from "../auth";
import type { Logger } from "../log";
import type { Metrics } from "../metrics";
import type { Store } from "../storage";
import type { DocumentWriter } from "../workspaces";
import { createAccessControl } from "./access";
import { isReadableFrame } from "./client-frames";
import { createAuthorship } from "./authorship";
import type { CollabContext, SocketState } from "./context";
import { createPersistence } from "./persistence";
import { createPresenceGuard } from "./presence";
import { createServerWriter } from "./server-writer";
import { createIndexMaintainer } from "./workspace-index";

export const COLLAB_PATH = "/collab";

export interface CollabOptions {
  accounts: Accounts;
  store: Store;
  logger: Logger;
  limits: { maxMessageBytes: number; maxDocumentBytes: number; maxUnauthenticatedConnections: number };
  /** Browser origins allowed besides the server's own. */
  allowedOrigins: string[];
  /** Further behaviour (the AI peer) plugged in by the composition root. */
  extensions?: Extension<CollabContext>[];
  metrics?: Metrics;
}

type Peer = { websocket: unknown; request: unknown };

export function createCollab(options: CollabOptions) {
  const { accounts, store, logger, limits } = options;
  const persistence = createPersistence(store, logger, limits.maxDocumentBytes, options.metrics);
  let pendingSockets = 0;

  const hocuspocus = new Hocuspocus<CollabContext>({
    quiet: true,
    // Every update is already on disk (persistence), so unloading needs no debounced store.
    unloadImmediately: true,
    maxUnauthenticatedQueueSize: limits.maxMessageBytes,
    extensions: [persistence.extension, createAuthorship(logger), createPresenceGuard(), ...(options.extensions ?? [])],
    onAuthenticate: createAccessControl(accounts, store),
  });

  const serverWriter = createServerWriter(hocuspocus);
  const writer: DocumentWriter = serverWriter.writer;
  const index = createIndexMaintainer(store, writer, logger);
  hocuspocus.configuration.extensions.push(index.extension);

  const sockets = new Map<Peer, { state: SocketState; connection: ReturnType<Hocuspocus["handleConnection"]> }>();
  const ws = crossws({
    serverOptions: { maxPayload: limits.maxMessageBytes },
    hooks: {
      open(peer) {
        const state: SocketState = { authenticated: false };
        pendingSockets++;
        const connection = hocuspocus.handleConnection(peer.websocket as unknown as WebSocketLike, peer.request as Request, { socket: state });
        sockets.set(peer, { state, connection });
      },
      message(peer, message) {
        const frame = message.uint8Array();
        if (!isReadableFrame(frame)) {
          logger.warn({ bytes: frame.length }, "closing a socket that sent an unreadable frame");
          peer.close(4400, "malformed frame");
          return;
        }
        sockets.get(peer)?.connection.handleMessage(frame);
      },
      close(peer, event) {
        const socket = sockets.get(peer);
        if (!socket) return;
        sockets.delete(peer);
        if (!socket.state.authenticated) pendingSockets--;
        socket.connection.handleClose({ code: event.code ?? 1000, reason: event.reason ?? "" });
      },
      error(_peer, error) {
        logger.warn({ err: error }, "websocket error");
      },
    },
  });

  function originAllowed(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    // No Origin: not a browser. Such clients are judged by their token alone.
    if (!origin) return true;
    if (options.allowedOrigins.includes(origin)) return true;
    try {
      return new URL(origin).host === req.headers.host;
    } catch {
      return false;
    }
  }

  return {
    hocuspocus,
    writer,

    handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
      const path = (req.url ?? "").split("?")[0];
      if (path !== COLLAB_PATH) return rejectUpgrade(socket, 404, "Not Found");
      if (!originAllowed(req)) {
        logger.warn({ origin: req.headers.origin }, "websocket refused: origin not allowed");
        return rejectUpgrade(socket, 403, "Forbidden");
      }
      if (pendingSockets >= limits.maxUnauthenticatedConnections) {
        logger.warn({ pendingSockets }, "websocket refused: too many unauthenticated connections");
        return rejectUpgrade(socket, 503, "Service Unavailable");
      }
      void ws.handleUpgrade(req, socket, head);
    },

    stats: () => ({ sockets: sockets.size, pendingSockets, documents: hocuspocus.getDocumentsCount() }),

    /** Closes every socket, writes the index and waits until every change is on disk. */
    async close(): Promise<void> {
      hocuspocus.closeConnections();
      ws.closeAll(1001, "server shutting down", false);
      await index.flush();
      await serverWriter.releaseAll();
      await persistence.flush();
      await Promise.all([...hocuspocus.documents.values()].map((doc) => hocuspocus.unloadDocument(doc)));
      await index.flush();
      await persistence.flush();
    },
  };
}

export type Collab = ReturnType<typeof createCollab>;

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}
