// What the connection badge says. "Connecting" is the first attempt; after the socket has
// once been live, a lost connection is "reconnecting" until it is back, unless the browser
// itself says it is offline.
export type ConnectionState = "connecting" | "live" | "reconnecting" | "offline";

export type SocketStatus = "connecting" | "connected" | "disconnected";

export function connectionState(socket: SocketStatus, browserOnline: boolean, wasLive: boolean): ConnectionState {
  if (!browserOnline) return "offline";
  if (socket === "connected") return "live";
  return wasLive ? "reconnecting" : "connecting";
}

export const CONNECTION_LABEL: Record<ConnectionState, string> = {
  connecting: "Connecting…",
  live: "Live",
  reconnecting: "Reconnecting…",
  offline: "Offline",
};

export const CONNECTION_HINT: Record<ConnectionState, string> = {
  connecting: "Opening a live connection to the server.",
  live: "Connected: changes are shared as you make them.",
  reconnecting: "The connection dropped. Your changes are kept on this device and sent when it is back; retrying by itself.",
  offline: "This device is offline. You can keep working: changes are saved here and sent when you reconnect.",
};

/** "3 changes waiting to sync", or null when nothing waits. */
export function waitingText(waiting: number): string | null {
  if (waiting <= 0) return null;
  return waiting === 1 ? "1 change waiting to sync" : `${waiting} changes waiting to sync`;
}
