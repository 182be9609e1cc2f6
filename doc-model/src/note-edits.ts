// Requests to the AI to edit the shared notes (SPEC NOTE-*): a person writes one into the
// conversation document (`noteEdits`, a Y.Map of Y.Maps by id); the server's notes AI claims
// it, streams its text into `notes` at the anchor and reports back through `status`.
import * as Y from "yjs";
import { KEY } from "./keys";

export type NoteEditKind =
  | "rewrite"
  | "shorten"
  | "expand"
  | "fix-grammar"
  | "translate"
  | "continue"
  | "notes-from-chat"
  | "action-items";

export const NOTE_EDIT_KINDS: readonly NoteEditKind[] = [
  "rewrite", "shorten", "expand", "fix-grammar", "translate", "continue", "notes-from-chat", "action-items",
];

/** Kinds that transform the selected text; the others write new text at the caret. */
export const SELECTION_KINDS: readonly NoteEditKind[] = ["rewrite", "shorten", "expand", "fix-grammar", "translate"];

export type NoteEditStatus = "pending" | "streaming" | "done" | "stopped" | "error";
export const NOTE_EDIT_STATUSES: readonly NoteEditStatus[] = ["pending", "streaming", "done", "stopped", "error"];

/** Where the edit applies, as Yjs relative positions in the notes fragment (from ≤ to). */
export interface NoteAnchor {
  from: Y.RelativePosition;
  to: Y.RelativePosition;
}

export interface NoteEditRequest {
  id: string;
  kind: NoteEditKind;
  /** Free words from the person ("into French", "as a haiku"); may be empty. */
  instruction: string;
  /** No anchor: the AI appends at the end of the notes. */
  anchor?: NoteAnchor;
  requestedBy: string;
  requestedByName: string;
  createdAt: number;
}

export interface NoteEdit extends Omit<NoteEditRequest, "anchor"> {
  status: NoteEditStatus;
  hasAnchor: boolean;
  error?: string;
  stop?: boolean;
  /** Set by the notes AI when it starts: the persona and model that wrote the run. */
  persona?: string;
  model?: string;
  /** Someone removed this run's text with "Undo this AI run" (SPEC NOTE-6). */
  undone?: boolean;
  undoneBy?: string;
}

export type NoteEditMap = Y.Map<unknown>;

export function noteEditList(doc: Y.Doc): Y.Map<NoteEditMap> {
  return doc.getMap<NoteEditMap>(KEY.noteEdits);
}

/** Writes a request the notes AI will pick up; the id is also the run id of what it writes. */
export function requestNoteEdit(doc: Y.Doc, request: NoteEditRequest): NoteEditMap {
  const map = new Y.Map<unknown>();
  map.set(KEY.id, request.id);
  map.set(KEY.kind, request.kind);
  map.set(KEY.instruction, request.instruction);
  map.set(KEY.requestedBy, request.requestedBy);
  map.set(KEY.requestedByName, request.requestedByName);
  map.set(KEY.createdAt, request.createdAt);
  map.set(KEY.status, "pending");
  if (request.anchor) {
    map.set(KEY.anchorFrom, Y.encodeRelativePosition(request.anchor.from));
    map.set(KEY.anchorTo, Y.encodeRelativePosition(request.anchor.to));
  }
  doc.transact(() => noteEditList(doc).set(request.id, map));
  return map;
}

export function findNoteEdit(doc: Y.Doc, id: string): NoteEditMap | undefined {
  return noteEditList(doc).get(id);
}

export function readNoteEdit(map: NoteEditMap): NoteEdit {
  const kind = map.get(KEY.kind);
  const status = map.get(KEY.status);
  const edit: NoteEdit = {
    id: str(map.get(KEY.id)),
    kind: NOTE_EDIT_KINDS.includes(kind as NoteEditKind) ? (kind as NoteEditKind) : "rewrite",
    instruction: str(map.get(KEY.instruction)),
    requestedBy: str(map.get(KEY.requestedBy)),
    requestedByName: str(map.get(KEY.requestedByName)),
    createdAt: typeof map.get(KEY.createdAt) === "number" ? (map.get(KEY.createdAt) as number) : 0,
    status: NOTE_EDIT_STATUSES.includes(status as NoteEditStatus) ? (status as NoteEditStatus) : "pending",
    hasAnchor: map.get(KEY.anchorFrom) instanceof Uint8Array && map.get(KEY.anchorTo) instanceof Uint8Array,
  };
  for (const key of [KEY.error, KEY.persona, KEY.model, KEY.undoneBy] as const) {
    const v = map.get(key);
    if (typeof v === "string") (edit as unknown as Record<string, unknown>)[key] = v;
  }
  if (map.get(KEY.stop) === true) edit.stop = true;
  if (map.get(KEY.undone) === true) edit.undone = true;
  return edit;
}

/** Every request, oldest first. */
export function readNoteEdits(doc: Y.Doc): NoteEdit[] {
  return [...noteEditList(doc).values()].map(readNoteEdit).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

export function noteEditAnchor(map: NoteEditMap): NoteAnchor | null {
  const from = map.get(KEY.anchorFrom);
  const to = map.get(KEY.anchorTo);
  if (!(from instanceof Uint8Array) || !(to instanceof Uint8Array)) return null;
  try {
    return { from: Y.decodeRelativePosition(from), to: Y.decodeRelativePosition(to) };
  } catch {
    return null;
  }
}

/** The notes AI starts a run: who writes it, with which model. */
export function startNoteEdit(map: NoteEditMap, writer: { persona: string; model: string }): void {
  map.set(KEY.status, "streaming");
  map.set(KEY.persona, writer.persona);
  map.set(KEY.model, writer.model);
}

export function setNoteEditStatus(map: NoteEditMap, status: NoteEditStatus, error?: string): void {
  map.set(KEY.status, status);
  if (error !== undefined) map.set(KEY.error, error);
}

/** Any editor may stop a run; the notes AI watches this flag (SPEC NOTE-7). */
export function requestNoteEditStop(map: NoteEditMap): void {
  map.set(KEY.stop, true);
}

export function isNoteEditStopRequested(map: NoteEditMap): boolean {
  return map.get(KEY.stop) === true;
}

/**
 * Holds a request to the identity of the person who wrote it (SPEC NOTE-2): the server
 * rewrites `requestedBy`/`requestedByName` when a person's request names someone else.
 */
export function enforceNoteEditRequester(map: NoteEditMap, person: { id: string; name: string }): boolean {
  if (map.get(KEY.requestedBy) === person.id && map.get(KEY.requestedByName) === person.name) return false;
  map.set(KEY.requestedBy, person.id);
  map.set(KEY.requestedByName, person.name);
  return true;
}

export interface NoteEditHandlers {
  onNew(map: NoteEditMap, origin: unknown): void;
  onStop(map: NoteEditMap, origin: unknown): void;
}

/** Calls the handlers for every new request and every `stop`, with the transaction origin. */
export function observeNoteEdits(doc: Y.Doc, handlers: NoteEditHandlers): () => void {
  const list = noteEditList(doc);
  const observer = (events: Y.YEvent<Y.AbstractType<unknown>>[], txn: Y.Transaction) => {
    for (const event of events) {
      if (event.target === list) {
        for (const [key, change] of (event as Y.YMapEvent<NoteEditMap>).changes.keys) {
          const map = list.get(key);
          if ((change.action === "add" || change.action === "update") && map instanceof Y.Map) handlers.onNew(map, txn.origin);
        }
      } else if (event.target instanceof Y.Map && event.target.parent === list) {
        const map = event.target as NoteEditMap;
        if ((event as Y.YMapEvent<unknown>).changes.keys.has(KEY.stop) && map.get(KEY.stop) === true) handlers.onStop(map, txn.origin);
      }
    }
  };
  list.observeDeep(observer);
  return () => list.unobserveDeep(observer);
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** Awareness field y-prosemirror (Tiptap's CollaborationCaret) reads a peer's caret from. */
export const AWARENESS_CURSOR = "cursor";
/** Awareness field of a notes AI caret: which request it writes and who asked (SPEC NOTE-5). */
export const AWARENESS_NOTE_RUN = "noteRun";

export interface NoteRunPresence {
  id: string;
  requestedByName: string;
}

export function readNoteRunPresence(state: unknown): NoteRunPresence | null {
  const v = state && typeof state === "object" ? (state as Record<string, unknown>)[AWARENESS_NOTE_RUN] : undefined;
  if (!v || typeof v !== "object" || typeof (v as { id?: unknown }).id !== "string") return null;
  const r = v as Record<string, unknown>;
  return { id: r.id as string, requestedByName: typeof r.requestedByName === "string" ? r.requestedByName : "" };
}
