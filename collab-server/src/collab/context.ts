import type { PublicUser } from "../auth";
import type { Role } from "../storage";

/** Per-socket state shared by every document on one WebSocket. */
export interface SocketState {
  authenticated: boolean;
}

/**
 * The Hocuspocus context of a connection. Client connections carry the authenticated
 * person; server-side writers (HTTP handlers, the AI peer) carry `server: true`.
 */
export interface CollabContext {
  socket?: SocketState;
  user?: PublicUser;
  role?: Role;
  server?: true;
}

/** Transaction origin of server-side corrections, so they persist like any other change. */
export const SERVER_ORIGIN = { source: "local", context: { server: true } } as const;

/** The person behind a transaction, or null when the server or another instance made it. */
export function personOf(origin: unknown): PublicUser | null {
  if (!origin || typeof origin !== "object") return null;
  const o = origin as { source?: string; connection?: { context?: CollabContext } };
  return o.source === "connection" ? (o.connection?.context?.user ?? null) : null;
}

/** A refusal the provider shows: Hocuspocus sends `reason` in its permission-denied message. */
export function refusal(reason: string, code = 4403): Error {
  return Object.assign(new Error(reason), { reason, code });
}
