// A provider that can refuse a server's copy before anything of ours reaches it. On connect
// the server opens with its sync step 1 (its state vector) and the provider answers with
// everything the server lacks: with a stale cache of a document that was reset on the server,
// that answer would merge old and new content for good (doubled messages). Looking at the
// server's vector first lets the connection notice the reset and drop its cache instead.
import { HocuspocusProvider } from "@hocuspocus/provider";

// y-protocols message layout: varString document name, varUint type (0 = sync),
// varUint sync type (0 = step 1), varUint8Array state vector.
const SYNC = 0;
const STEP_ONE = 0;

class Reader {
  private at = 0;
  constructor(private readonly bytes: Uint8Array) {}

  varUint(): number {
    let value = 0;
    let shift = 0;
    for (;;) {
      if (this.at >= this.bytes.length) throw new RangeError("message ended early");
      const byte = this.bytes[this.at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return value;
      shift += 7;
      if (shift > 49) throw new RangeError("varint too long");
    }
  }

  bytesOf(length: number): Uint8Array {
    if (this.at + length > this.bytes.length) throw new RangeError("message ended early");
    const out = this.bytes.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }
}

/** The state vector carried by a server's sync step 1, or null for any other message. */
export function serverStepOneVector(message: Uint8Array): Uint8Array | null {
  try {
    const reader = new Reader(message);
    reader.bytesOf(reader.varUint()); // document name
    if (reader.varUint() !== SYNC || reader.varUint() !== STEP_ONE) return null;
    return reader.bytesOf(reader.varUint());
  } catch {
    return null;
  }
}

export class GuardedProvider extends HocuspocusProvider {
  /** Returns true to refuse the server's state: the message is dropped and nothing is sent back. */
  refuseServerState: ((serverVector: Uint8Array) => boolean) | null = null;

  override onMessage(event: MessageEvent): void {
    const bytes = this.refuseServerState ? asBytes(event.data) : null;
    const vector = bytes ? serverStepOneVector(bytes) : null;
    if (vector && this.refuseServerState?.(vector)) return;
    super.onMessage(event);
  }
}

function asBytes(data: unknown): Uint8Array | null {
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  // (Not instanceof: the buffer may come from another realm.)
  if (Object.prototype.toString.call(data) === "[object ArrayBuffer]") return new Uint8Array(data as ArrayBuffer);
  return null;
}
