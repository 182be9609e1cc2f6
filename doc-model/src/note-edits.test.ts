import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { notesFragment } from "./conversation";
import {
  enforceNoteEditRequester, findNoteEdit, isNoteEditStopRequested, noteEditAnchor, observeNoteEdits, readNoteEdits,
  requestNoteEdit, requestNoteEditStop, setNoteEditStatus, startNoteEdit,
} from "./note-edits";
import { resolveNotePoint } from "./note-runs";

describe("note edit requests (NOTE-1, NOTE-2)", () => {
  it("round-trips a request with its anchor through an update, and reports new requests and stops", () => {
    const doc = new Y.Doc();
    const text = new Y.XmlText("Hello");
    const p = new Y.XmlElement("paragraph");
    notesFragment(doc).insert(0, [p]);
    p.insert(0, [text]);
    const anchor = { from: Y.createRelativePositionFromTypeIndex(text, 1, -1), to: Y.createRelativePositionFromTypeIndex(text, 4, -1) };
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    const seen: string[] = [];
    observeNoteEdits(copy, { onNew: (m, origin) => seen.push(`new ${m.get("id")} ${String(origin)}`), onStop: (m) => seen.push(`stop ${m.get("id")}`) });
    requestNoteEdit(doc, { id: "r1", kind: "translate", instruction: "into French", anchor, requestedBy: "u1", requestedByName: "Ann", createdAt: 5 });
    requestNoteEdit(doc, { id: "r0", kind: "action-items", instruction: "", requestedBy: "u2", requestedByName: "Bob", createdAt: 1 });
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc), "net");
    const map = findNoteEdit(copy, "r1")!;
    copy.transact(() => startNoteEdit(map, { persona: "dev", model: "m" }));
    requestNoteEditStop(map);
    setNoteEditStatus(map, "stopped");
    expect(seen).toEqual(["new r1 net", "new r0 net", "stop r1"]);
    expect(readNoteEdits(copy).map((e) => [e.id, e.kind, e.status, e.hasAnchor, e.requestedByName])).toEqual([
      ["r0", "action-items", "pending", false, "Bob"],
      ["r1", "translate", "stopped", true, "Ann"],
    ]);
    expect(isNoteEditStopRequested(map)).toBe(true);
    const resolved = noteEditAnchor(map)!;
    expect([resolveNotePoint(copy, resolved.from)?.index, resolveNotePoint(copy, resolved.to)?.index]).toEqual([1, 4]);
    expect(noteEditAnchor(findNoteEdit(copy, "r0")!)).toBeNull();
  });

  it("holds a request to the person who wrote it", () => {
    const doc = new Y.Doc();
    const map = requestNoteEdit(doc, { id: "r", kind: "continue", instruction: "", requestedBy: "someone-else", requestedByName: "Boss", createdAt: 1 });
    expect(enforceNoteEditRequester(map, { id: "u1", name: "Ann" })).toBe(true);
    expect(enforceNoteEditRequester(map, { id: "u1", name: "Ann" })).toBe(false);
    expect(readNoteEdits(doc)[0]).toMatchObject({ requestedBy: "u1", requestedByName: "Ann" });
  });
});
