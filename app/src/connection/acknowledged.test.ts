import { appendMessage, messageId, messageList } from "@junokit/doc-model";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { hasUnacknowledged, isAcknowledgedIn, mergeVector, serverForgot, type StateVector } from "./acknowledged";

const vector = (doc: Y.Doc): StateVector => Y.decodeStateVector(Y.encodeStateVector(doc));
const message = (id: string) => ({ id, role: "user" as const, authorId: "u1", authorName: "Ann", createdAt: 1, text: id });

describe("acknowledged state (OFF-ACK-1: what waits to sync is what the server has not acknowledged)", () => {
  it("marks messages written after the last acknowledgement, and only those", () => {
    const server = new Y.Doc();
    const device = new Y.Doc();
    appendMessage(server, message("from-server"));
    Y.applyUpdate(device, Y.encodeStateAsUpdate(server));
    appendMessage(device, message("sent-online"));
    Y.applyUpdate(server, Y.encodeStateAsUpdate(device, Y.encodeStateVector(server)));
    // The server acknowledged everything so far: the device records its whole state.
    const acked: StateVector = new Map();
    mergeVector(acked, vector(device));
    appendMessage(device, message("written-offline"));

    const waiting = messageList(device)
      .toArray()
      .filter((m) => !isAcknowledgedIn(acked, m))
      .map(messageId);
    expect(waiting).toEqual(["written-offline"]);
    expect(hasUnacknowledged(device, acked)).toBe(true);

    Y.applyUpdate(server, Y.encodeStateAsUpdate(device, Y.encodeStateVector(server)));
    mergeVector(acked, vector(device));
    expect(hasUnacknowledged(device, acked)).toBe(false);
  });

  it("counts what arrived from the server as acknowledged by its end clocks", () => {
    const server = new Y.Doc();
    appendMessage(server, message("a"));
    const device = new Y.Doc();
    const acked: StateVector = new Map();
    const update = Y.encodeStateAsUpdate(server);
    Y.applyUpdate(device, update);
    expect(hasUnacknowledged(device, acked)).toBe(true);
    expect(mergeVector(acked, Y.parseUpdateMeta(update).to)).toBe(true);
    expect(hasUnacknowledged(device, acked)).toBe(false);
    expect(mergeVector(acked, Y.parseUpdateMeta(update).to)).toBe(false);
  });
});

describe("reset detection (OFF-RESET-1: a server that forgot what it acknowledged is a reset)", () => {
  it("is not a reset when the server kept everything (a restart) or has more", () => {
    const server = new Y.Doc();
    appendMessage(server, message("a"));
    const acked = vector(server);
    expect(serverForgot(acked, vector(server))).toBe(false);
    appendMessage(server, message("b"));
    expect(serverForgot(acked, vector(server))).toBe(false);
  });

  it("is a reset when the document was created again, even with the same content", () => {
    const before = new Y.Doc();
    appendMessage(before, message("a"));
    const acked = vector(before);
    const recreated = new Y.Doc();
    appendMessage(recreated, message("a"));
    expect(serverForgot(acked, vector(recreated))).toBe(true);
    expect(serverForgot(acked, new Map())).toBe(true);
  });

  it("is never a reset for a device that recorded no acknowledgement", () => {
    expect(serverForgot(new Map(), new Map())).toBe(false);
  });
});
