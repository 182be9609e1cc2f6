import * as decoding from "lib0/decoding";

// Hocuspocus frame layout: varString document address, varUint message type, then for
// Sync (0): varUint sync step, varUint8Array update. Step 2 and Update carry document data.
const MESSAGE_SYNC = 0;
const SYNC_STEP_2 = 1;
const SYNC_UPDATE = 2;

/** The Yjs update a client frame carries, or null for any other kind of frame. */
export function documentUpdateOf(frame: Uint8Array): Uint8Array | null {
  const decoder = decoding.createDecoder(frame);
  decoding.readVarString(decoder);
  if (decoding.readVarUint(decoder) !== MESSAGE_SYNC) return null;
  const step = decoding.readVarUint(decoder);
  if (step !== SYNC_STEP_2 && step !== SYNC_UPDATE) return null;
  return decoding.readVarUint8Array(decoder);
}

/** An update with no structs and no deletions: what an already-synced client sends back. */
export function isEmptyUpdate(update: Uint8Array): boolean {
  return update.length <= 2 && update.every((b) => b === 0);
}

// What a client may send: Sync, Awareness, Auth, QueryAwareness, SyncReply, Stateless, Close,
// Ping, Pong. BroadcastStateless and SyncStatus only ever go from server to client.
const CLIENT_MESSAGE_TYPES = new Set([0, 1, 2, 3, 4, 5, 7, 9, 10]);

/**
 * True when a frame's header reads as a Hocuspocus message a client may send. Anything else
 * closes the socket at once instead of waiting in an unauthenticated queue. (Document names
 * are judged at authentication, which tells the client why.)
 */
export function isReadableFrame(frame: Uint8Array): boolean {
  try {
    const decoder = decoding.createDecoder(frame);
    decoding.readVarString(decoder);
    return CLIENT_MESSAGE_TYPES.has(decoding.readVarUint(decoder));
  } catch {
    return false;
  }
}
