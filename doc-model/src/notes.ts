// The shared notes (`notes`, a Y.XmlFragment written by Tiptap through y-prosemirror) as
// ProseMirror-style JSON, for export, import and search. The mapping is generic: element
// names and attributes are kept as they are, text formatting attributes become marks.
import * as Y from "yjs";
import { notesFragment } from "./conversation";

export interface NotesMark {
  type: string;
  attrs?: Record<string, unknown>;
}

/** A ProseMirror JSON node: `{type: "doc", content: [...]}` at the top. */
export interface NotesNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: NotesNode[];
  text?: string;
  marks?: NotesMark[];
}

/** The notes as ProseMirror JSON (`{type: "doc", content}`), lossless for what Tiptap writes. */
export function readNotesJson(doc: Y.Doc): NotesNode {
  return { type: "doc", content: childrenToJson(notesFragment(doc)) };
}

/** Replaces the notes with this ProseMirror JSON document (or a node list), in one transaction. */
export function writeNotesJson(doc: Y.Doc, json: NotesNode): void {
  const fragment = notesFragment(doc);
  doc.transact(() => {
    if (fragment.length > 0) fragment.delete(0, fragment.length);
    fragment.insert(0, childrenToYjs(json.content ?? []));
  });
}

/**
 * The top-level blocks of the notes holding content `known` (a state vector, e.g. what the
 * server acknowledged) does not cover: new blocks, typed text, formatting or attributes set
 * since, as ProseMirror JSON in document order (SPEC OFF-RESET-4). Deletions leave no trace
 * in a state vector, so a block that only lost content is not among them.
 */
export function notesBlocksBeyond(doc: Y.Doc, known: ReadonlyMap<number, number>): NotesNode[] {
  const beyond = (item: Y.Item) => item.id.clock + item.length > (known.get(item.id.client) ?? 0);
  const holdsNew = (type: Y.AbstractType<unknown>): boolean => {
    for (let item = type._start; item; item = item.right) {
      if (item.deleted) continue;
      if (beyond(item) || (item.content instanceof Y.ContentType && holdsNew(item.content.type))) return true;
    }
    for (const item of type._map.values()) if (!item.deleted && beyond(item)) return true;
    return false;
  };
  const blocks: NotesNode[] = [];
  for (let item = notesFragment(doc)._start; item; item = item.right) {
    if (item.deleted || !(item.content instanceof Y.ContentType)) continue;
    const block = item.content.type;
    if (!beyond(item) && !holdsNew(block)) continue;
    if (block instanceof Y.XmlElement) blocks.push(elementToJson(block));
    else if (block instanceof Y.XmlText) blocks.push(...textToJson(block));
  }
  return blocks;
}

/** Adds blocks (ProseMirror JSON nodes) at the end of the notes, in one transaction. */
export function appendNotesBlocks(doc: Y.Doc, blocks: NotesNode[]): void {
  const fragment = notesFragment(doc);
  doc.transact(() => fragment.insert(fragment.length, childrenToYjs(blocks)));
}

/** Plain text of a notes document: one line per text block, blocks in document order. */
export function notesJsonText(json: NotesNode): string {
  const lines: string[] = [];
  const walk = (node: NotesNode): void => {
    const children = node.content ?? [];
    if (children.some((c) => c.type === "text" || c.type === "hardBreak")) {
      lines.push(children.map((c) => (c.type === "hardBreak" ? "\n" : (c.text ?? ""))).join(""));
      return;
    }
    children.forEach(walk);
  };
  walk(json);
  return lines.join("\n");
}

function childrenToJson(parent: Y.XmlFragment | Y.XmlElement): NotesNode[] {
  const out: NotesNode[] = [];
  for (const child of parent.toArray()) {
    if (child instanceof Y.XmlText) out.push(...textToJson(child));
    else if (child instanceof Y.XmlElement) out.push(elementToJson(child));
  }
  return out;
}

function elementToJson(element: Y.XmlElement): NotesNode {
  const node: NotesNode = { type: element.nodeName };
  const attrs = Object.fromEntries(Object.entries(element.getAttributes()).filter(([, v]) => v !== undefined && v !== null));
  if (Object.keys(attrs).length > 0) node.attrs = attrs;
  const content = childrenToJson(element);
  if (content.length > 0) node.content = content;
  return node;
}

function textToJson(text: Y.XmlText): NotesNode[] {
  const nodes: NotesNode[] = [];
  for (const op of text.toDelta() as { insert?: unknown; attributes?: Record<string, unknown> }[]) {
    if (typeof op.insert !== "string" || op.insert === "") continue;
    const node: NotesNode = { type: "text", text: op.insert };
    const marks = Object.entries(op.attributes ?? {}).map(([key, value]) => markOf(key, value));
    if (marks.length > 0) node.marks = marks;
    nodes.push(node);
  }
  return nodes;
}

// y-prosemirror names overlapping marks of one type `type--<hash>`; the type is what counts.
function markOf(key: string, value: unknown): NotesMark {
  const mark: NotesMark = { type: key.split("--")[0] ?? key };
  if (value && typeof value === "object" && Object.keys(value).length > 0) mark.attrs = { ...(value as Record<string, unknown>) };
  return mark;
}

function childrenToYjs(nodes: NotesNode[]): (Y.XmlElement | Y.XmlText)[] {
  const out: (Y.XmlElement | Y.XmlText)[] = [];
  let run: NotesNode[] = [];
  const flush = () => {
    if (run.length === 0) return;
    const text = new Y.XmlText();
    // Inserting into a fresh, unintegrated Y.XmlText is buffered until it is integrated.
    let at = 0;
    for (const t of run) {
      const attributes = Object.fromEntries((t.marks ?? []).map((m) => [m.type, m.attrs ?? {}]));
      text.insert(at, t.text ?? "", attributes);
      at += (t.text ?? "").length;
    }
    out.push(text);
    run = [];
  };
  for (const node of nodes) {
    if (node.type === "text") {
      if (node.text) run.push(node);
      continue;
    }
    flush();
    const element = new Y.XmlElement(node.type);
    for (const [k, v] of Object.entries(node.attrs ?? {})) if (v !== undefined && v !== null) element.setAttribute(k, v as string);
    element.insert(0, childrenToYjs(node.content ?? []));
    out.push(element);
  }
  flush();
  return out;
}
