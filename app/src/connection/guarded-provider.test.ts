import * as encoding from "lib0/encoding";
import { describe, expect, it } from "vitest";
import * as sync from "y-protocols/sync";
import * as Y from "yjs";
import { serverStepOneVector } from "./guarded-provider";

function syncMessage(name: string, write: (encoder: encoding.Encoder) => void): Uint8Array {
  const encoder = encoding.createEncoder();
  encoding.writeVarString(encoder, name);
  encoding.writeVarUint(encoder, 0);
  write(encoder);
  return encoding.toUint8Array(encoder);
}

describe("the server's sync step 1 (OFF-RESET-2: read before anything of ours is sent)", () => {
  const doc = new Y.Doc();
  doc.getText("t").insert(0, "some content from a few clients");
  const other = new Y.Doc();
  other.getText("t").insert(0, "x");
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));

  it("yields the server's state vector from a step 1 message", () => {
    const message = syncMessage("ws/w1/conv/c1", (e) => sync.writeSyncStep1(e, doc));
    expect(serverStepOneVector(message)).toEqual(Y.encodeStateVector(doc));
  });

  it("ignores step 2, updates, other message types and broken bytes", () => {
    expect(serverStepOneVector(syncMessage("d", (e) => sync.writeSyncStep2(e, doc)))).toBeNull();
    expect(serverStepOneVector(syncMessage("d", (e) => sync.writeUpdate(e, Y.encodeStateAsUpdate(doc))))).toBeNull();
    const awareness = encoding.createEncoder();
    encoding.writeVarString(awareness, "d");
    encoding.writeVarUint(awareness, 1);
    encoding.writeVarUint8Array(awareness, new Uint8Array([1, 2, 3]));
    expect(serverStepOneVector(encoding.toUint8Array(awareness))).toBeNull();
    const whole = syncMessage("ws/w1/conv/c1", (e) => sync.writeSyncStep1(e, doc));
    expect(serverStepOneVector(whole.subarray(0, whole.length - 2))).toBeNull();
    expect(serverStepOneVector(new Uint8Array([0xff, 0xff]))).toBeNull();
    expect(serverStepOneVector(new Uint8Array())).toBeNull();
  });
});
