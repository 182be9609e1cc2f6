// What the AI writes into the shared notes and how it is taken back (SPEC NOTE-*). Every span
// of a run carries the `aiRun` mark ({runId, persona, requestedBy}) and every block it creates
// the `aiRun` attribute, so a run can be shown, and removed exactly, by anyone, later.
import * as Y from "yjs";
import { notesFragment } from "./conversation";
import { KEY } from "./keys";
import { findNoteEdit, type NoteAnchor } from "./note-edits";

/** The Tiptap mark (on text) and node attribute (on blocks) that name the run that wrote them. */
export const AI_RUN = KEY.aiRun;

export interface AiRunProvenance {
  runId: string;
  persona: string;
  requestedBy: string;
}

/** A place in the notes: an offset in a Y.XmlText, or a child index in an element/the fragment. */
export interface NotePoint {
  type: Y.XmlText | Y.XmlFragment;
  index: number;
}

type Delta = { insert?: unknown; attributes?: Record<string, unknown> }[];

// Node names of Tiptap's StarterKit and task lists that the AI creates or must recognise.
const TEXT_BLOCKS = new Set(["paragraph", "heading", "codeBlock"]);
const LIST_OF = { bullet: "bulletList", ordered: "orderedList", task: "taskList" } as const;

/** Reads a run's provenance from a text span's attributes (null when people wrote it). */
export function aiRunOf(attributes: Record<string, unknown> | undefined): AiRunProvenance | null {
  const v = attributes?.[AI_RUN] as Record<string, unknown> | undefined;
  if (!v || typeof v !== "object" || typeof v[KEY.runId] !== "string") return null;
  return {
    runId: v[KEY.runId] as string,
    persona: typeof v[KEY.persona] === "string" ? (v[KEY.persona] as string) : "",
    requestedBy: typeof v[KEY.requestedBy] === "string" ? (v[KEY.requestedBy] as string) : "",
  };
}

function runAttributes(run: AiRunProvenance): Record<string, unknown> {
  return { [AI_RUN]: { [KEY.runId]: run.runId, [KEY.persona]: run.persona, [KEY.requestedBy]: run.requestedBy } };
}

/** Where a relative position of the notes lies now; null if it is gone or outside the notes. */
export function resolveNotePoint(doc: Y.Doc, position: Y.RelativePosition): NotePoint | null {
  const abs = Y.createAbsolutePositionFromRelativePosition(position, doc);
  if (!abs) return null;
  const fragment = notesFragment(doc);
  const type = abs.type;
  if (type !== fragment && !(type._item && Y.isParentOf(fragment, type._item))) return null;
  if (type._item?.deleted) return null;
  if (type instanceof Y.XmlText || type instanceof Y.XmlFragment) return { type, index: abs.index };
  return null;
}

/** A relative position for a point, sticking to what comes before it (text typed there goes after). */
export function notePosition(point: NotePoint): Y.RelativePosition {
  return Y.createRelativePositionFromTypeIndex(point.type, point.index, -1);
}

/** Text of each run, by run id, in document order: what the app highlights and tests read. */
export function noteRunTexts(doc: Y.Doc): Map<string, string> {
  const out = new Map<string, string>();
  for (const text of textsOf(notesFragment(doc))) {
    for (const op of text.toDelta() as Delta) {
      const run = aiRunOf(op.attributes);
      if (run && typeof op.insert === "string") out.set(run.runId, (out.get(run.runId) ?? "") + op.insert);
    }
  }
  return out;
}

/** Plain text between two points, one line per text block (what a selection asks the AI about). */
export function noteRangeText(doc: Y.Doc, anchor: NoteAnchor): string {
  const from = resolveNotePoint(doc, anchor.from);
  const to = resolveNotePoint(doc, anchor.to);
  if (!from || !to) return "";
  const lines: string[] = [];
  let lastBlock: Y.XmlFragment | null = null;
  for (const op of rangeOps(notesFragment(doc), from, to, null)) {
    if (op.kind === "element") {
      for (const t of textsOf(op.element)) pushLine(lines, plainText(t), (lastBlock = t.parent as Y.XmlFragment), null);
    } else {
      const block = op.text.parent as Y.XmlFragment;
      pushLine(lines, plainText(op.text).slice(op.index, op.index + op.length), block, lastBlock);
      lastBlock = block;
    }
  }
  return lines.join("\n");
}

/** A Y.XmlText's characters without its formatting (toString() would write marks as tags). */
function plainText(text: Y.XmlText): string {
  return (text.toDelta() as Delta).map((op) => (typeof op.insert === "string" ? op.insert : "")).join("");
}

function pushLine(lines: string[], text: string, block: Y.XmlFragment, lastBlock: Y.XmlFragment | null): void {
  if (block === lastBlock && lines.length > 0) lines[lines.length - 1] += text;
  else lines.push(text);
}

// --- streaming a run into the notes -------------------------------------------------------

export type LineStart =
  | { kind: "paragraph"; skip: number }
  | { kind: "heading"; level: number; skip: number }
  | { kind: "bullet" | "ordered" | "quote"; skip: number }
  | { kind: "task"; checked: boolean; skip: number }
  | { kind: "fence"; language: string | null; skip: number };

/**
 * What block a Markdown line opens, from its first characters; null while they could still
 * open several (`- ` may become `- [ ] `). `complete` says the line has ended.
 */
export function classifyLine(line: string, complete: boolean): LineStart | null {
  const indent = line.length - line.trimStart().length;
  const s = line.slice(indent);
  const wait = (partial: RegExp) => !complete && partial.test(s);
  if (s.startsWith("```")) return complete ? { kind: "fence", language: s.slice(3).trim() || null, skip: line.length } : null;
  if (wait(/^(`{1,2}|#{1,6}|[-*+]( (\[([ xX](\])?)?)?)?|\d{1,9}[.)]?|>)?$/)) return null;
  let m: RegExpExecArray | null;
  if ((m = /^(#{1,6}) +/.exec(s))) return { kind: "heading", level: m[1]!.length, skip: indent + m[0].length };
  if ((m = /^[-*+] \[([ xX])\] +/.exec(s))) return { kind: "task", checked: m[1] !== " ", skip: indent + m[0].length };
  if ((m = /^[-*+] +/.exec(s))) return { kind: "bullet", skip: indent + m[0].length };
  if ((m = /^\d{1,9}[.)] +/.exec(s))) return { kind: "ordered", skip: indent + m[0].length };
  if ((m = /^> ?/.exec(s))) return { kind: "quote", skip: indent + m[0].length };
  return { kind: "paragraph", skip: indent };
}

/**
 * Streams one AI run into the notes as Markdown becomes blocks (SPEC NOTE-3): headings, bullet,
 * numbered and task lists, quotes, fenced code and paragraphs; inline Markdown stays text.
 * Inline runs continue the text at the anchor; block runs add blocks after (or, at an empty
 * line, before) it. Call inside a transaction; positions are relative, so people may edit
 * anywhere meanwhile.
 */
export class NoteRunWriter {
  readonly mode: "inline" | "block";
  /** Characters written into the notes so far. */
  chars = 0;
  private pending = "";
  private atLineStart: boolean;
  /** Where the current line's text goes (inside a Y.XmlText), once its block exists. */
  private target: Y.RelativePosition | null = null;
  /** Where the next block goes. */
  private blockPos: Y.RelativePosition;
  private list: { name: string; element: Y.XmlElement } | null = null;
  private quote: Y.XmlElement | null = null;
  private code: { element: Y.XmlElement; lines: number } | null = null;
  private readonly attributes: Record<string, unknown>;

  constructor(
    private readonly doc: Y.Doc,
    private readonly run: AiRunProvenance,
    anchor: NoteAnchor | null,
    options: { inline: boolean },
  ) {
    this.attributes = runAttributes(run);
    const fragment = notesFragment(doc);
    const to = anchor ? resolveNotePoint(doc, anchor.to) : null;
    const from = anchor ? resolveNotePoint(doc, anchor.from) : null;
    const block = to ? textBlockOf(to) : null;
    const sameBlock = block !== null && from !== null && textBlockOf(from) === block;
    if (options.inline && to && block && sameBlock && block.length > 0 && hasText(block)) {
      this.mode = "inline";
      this.atLineStart = false;
      this.target = notePosition(textPointOf(to, block));
      this.blockPos = afterElement(block);
    } else {
      this.mode = "block";
      this.atLineStart = true;
      if (!to) this.blockPos = Y.createRelativePositionFromTypeIndex(fragment, fragment.length, -1);
      else if (!block) this.blockPos = notePosition(to);
      // At an empty line the run goes above it, so the person's line stays below the new text.
      else if (!hasText(block)) this.blockPos = beforeElement(block);
      else this.blockPos = afterElement(block);
    }
  }

  /** Where the AI's caret is: after its last character, or where its next block goes. */
  caret(): Y.RelativePosition {
    return this.target ?? this.blockPos;
  }

  /** Appends streamed text. */
  write(text: string): void {
    this.pending += text;
    this.doc.transact(() => this.process(false));
  }

  /** Writes what was held back at a line start (the stream has ended). */
  end(): void {
    this.doc.transact(() => this.process(true));
  }

  private process(final: boolean): void {
    while (this.pending) {
      const nl = this.pending.indexOf("\n");
      const line = nl >= 0 ? this.pending.slice(0, nl) : this.pending;
      const complete = nl >= 0 || final;
      if (!this.atLineStart) {
        if (line) this.insertText(line);
        this.pending = nl >= 0 ? this.pending.slice(nl + 1) : "";
        if (nl < 0) return;
        this.atLineStart = true;
        if (!this.code) this.target = null;
        continue;
      }
      if (this.code) {
        if (!complete && "```".startsWith(line.trimEnd())) return;
        if (complete && /^```\s*$/.test(line)) {
          this.code = null;
          this.target = null;
          this.consume(line.length, nl);
          continue;
        }
        if (this.code.lines++ > 0) this.insertText("\n");
        this.atLineStart = false;
        continue;
      }
      if (line.trim() === "") {
        if (!complete) return;
        // A blank line ends a quote; lists stay open across blank lines (loose lists).
        this.quote = null;
        this.consume(line.length, nl);
        continue;
      }
      const start = classifyLine(line, complete);
      if (!start) return;
      this.open(start);
      this.consume(start.skip, start.kind === "fence" ? nl : -1);
      this.atLineStart = start.kind === "fence";
    }
  }

  private consume(chars: number, nl: number): void {
    this.pending = this.pending.slice(chars + (nl >= 0 ? 1 : 0));
  }

  private open(start: LineStart): void {
    if (start.kind === "bullet" || start.kind === "ordered" || start.kind === "task") {
      const name = LIST_OF[start.kind];
      let list = this.list?.name === name && alive(this.list.element) ? this.list.element : null;
      if (!list) {
        list = this.insertBlock(name, name === "orderedList" ? { start: 1 } : {});
        this.list = { name, element: list };
      }
      const item = this.element(start.kind === "task" ? "taskItem" : "listItem", start.kind === "task" ? { checked: start.checked } : {});
      list.insert(list.length, [item]);
      this.quote = null;
      return this.startText(this.paragraphIn(item));
    }
    this.list = null;
    if (start.kind === "quote") {
      const quote = this.quote && alive(this.quote) ? this.quote : this.insertBlock("blockquote", {});
      this.quote = quote;
      return this.startText(this.paragraphIn(quote));
    }
    this.quote = null;
    if (start.kind === "fence") {
      const code = this.insertBlock("codeBlock", { language: start.language });
      this.code = { element: code, lines: 0 };
      return this.startText(code);
    }
    const block = start.kind === "heading" ? this.insertBlock("heading", { level: start.level }) : this.insertBlock("paragraph", {});
    this.startText(block);
  }

  private element(name: string, attrs: Record<string, unknown>): Y.XmlElement {
    const element = new Y.XmlElement(name);
    for (const [k, v] of Object.entries({ ...attrs, [AI_RUN]: this.run.runId })) element.setAttribute(k, v as string);
    return element;
  }

  private insertBlock(name: string, attrs: Record<string, unknown>): Y.XmlElement {
    const fragment = notesFragment(this.doc);
    const at = resolveNotePoint(this.doc, this.blockPos);
    const parent = at && !(at.type instanceof Y.XmlText) ? at.type : fragment;
    const index = at && parent === at.type ? Math.min(at.index, parent.length) : parent.length;
    const element = this.element(name, attrs);
    parent.insert(index, [element]);
    this.blockPos = Y.createRelativePositionFromTypeIndex(parent, index + 1, -1);
    return element;
  }

  private paragraphIn(container: Y.XmlElement): Y.XmlElement {
    const paragraph = this.element("paragraph", {});
    container.insert(container.length, [paragraph]);
    return paragraph;
  }

  private startText(block: Y.XmlElement): void {
    const text = new Y.XmlText();
    block.insert(block.length, [text]);
    this.target = Y.createRelativePositionFromTypeIndex(text, 0, -1);
  }

  private insertText(text: string): void {
    let at = this.target ? resolveNotePoint(this.doc, this.target) : null;
    if (!at || !(at.type instanceof Y.XmlText)) {
      // Someone deleted the block being written: go on in a fresh paragraph.
      this.code = null;
      this.startText(this.insertBlock("paragraph", {}));
      at = resolveNotePoint(this.doc, this.target!)!;
    }
    const target = at.type as Y.XmlText;
    target.insert(at.index, text, this.attributes);
    this.target = Y.createRelativePositionFromTypeIndex(target, at.index + text.length, -1);
    this.chars += text.length;
  }
}

// --- removing a range, and undoing a run ----------------------------------------------------

type RangeOp =
  | { kind: "text"; text: Y.XmlText; index: number; length: number }
  | { kind: "element"; parent: Y.XmlFragment; index: number; element: Y.XmlElement };

/**
 * Removes what lies between `from` and `to` except the text and blocks of `keepRun` (SPEC NOTE-4):
 * blocks wholly inside go, the blocks at either end keep what is outside (they are not joined).
 * Returns what it removed, kept in the run's request so "Undo this AI run" can put it back.
 */
export function removeReplacedRange(doc: Y.Doc, anchor: NoteAnchor, keepRun: string): number {
  const from = resolveNotePoint(doc, anchor.from);
  const to = resolveNotePoint(doc, anchor.to);
  if (!from || !to) return 0;
  const ops = rangeOps(notesFragment(doc), from, to, keepRun);
  const request = findNoteEdit(doc, keepRun);
  const kept = new Y.Array<Y.Map<unknown>>();
  let removed = 0;
  doc.transact(() => {
    if (request) request.set(KEY.replaced, kept);
    for (const op of [...ops].reverse()) {
      const piece = new Y.Map<unknown>();
      if (op.kind === "text") {
        piece.set(KEY.anchorFrom, Y.encodeRelativePosition(notePosition({ type: op.text, index: op.index })));
        piece.set(KEY.text, sliceDelta(op.text.toDelta() as Delta, op.index, op.length));
        op.text.delete(op.index, op.length);
        removed += op.length;
      } else {
        piece.set(KEY.anchorFrom, Y.encodeRelativePosition(notePosition({ type: op.parent, index: op.index })));
        piece.set(KEY.notes, op.element.clone());
        op.parent.delete(op.index, 1);
        removed += 1;
      }
      // Stored last-first: restoring in this order puts neighbours back in their order.
      kept.push([piece]);
    }
  });
  return removed;
}

/**
 * "Undo this AI run" (SPEC NOTE-6): removes exactly the run's text, and the blocks it created
 * that hold nothing else, for every participant, whatever people edited around it; puts back
 * what the run had replaced; marks the request `undone`. False if there was nothing to undo.
 */
export function undoNoteRun(doc: Y.Doc, runId: string, by: string): boolean {
  const request = findNoteEdit(doc, runId);
  if (request?.get(KEY.undone) === true) return false;
  const fragment = notesFragment(doc);
  let changed = false;
  doc.transact(() => {
    for (const text of textsOf(fragment)) changed = deleteRunSpans(text, runId) || changed;
    changed = deleteRunBlocks(fragment, runId) || changed;
    const replaced = request?.get(KEY.replaced);
    if (replaced instanceof Y.Array) changed = restore(doc, replaced as Y.Array<Y.Map<unknown>>) || changed;
    if (request) {
      request.set(KEY.undone, true);
      request.set(KEY.undoneBy, by);
    }
  });
  return changed;
}

/** Removes a run's text only (a failed run leaves the notes as they were, SPEC NOTE-8). */
export function removeRunText(doc: Y.Doc, runId: string): void {
  const fragment = notesFragment(doc);
  doc.transact(() => {
    for (const text of textsOf(fragment)) deleteRunSpans(text, runId);
    deleteRunBlocks(fragment, runId);
  });
}

function deleteRunSpans(text: Y.XmlText, runId: string): boolean {
  const spans: [number, number][] = [];
  let at = 0;
  for (const op of text.toDelta() as Delta) {
    const length = typeof op.insert === "string" ? op.insert.length : 1;
    if (aiRunOf(op.attributes)?.runId === runId) spans.push([at, length]);
    at += length;
  }
  for (const [index, length] of spans.reverse()) text.delete(index, length);
  return spans.length > 0;
}

/** Deletes the run's blocks that hold no other text; a list item keeps its first paragraph. */
function deleteRunBlocks(parent: Y.XmlFragment, runId: string): boolean {
  let changed = false;
  const children = parent.toArray();
  for (let i = children.length - 1; i >= 0; i--) {
    const child = children[i];
    if (!(child instanceof Y.XmlElement)) continue;
    const firstOfItem = i === 0 && parent instanceof Y.XmlElement && /Item$/.test(parent.nodeName);
    if (child.getAttribute(AI_RUN) === runId && !hasText(child) && !firstOfItem) {
      parent.delete(i, 1);
      changed = true;
    } else changed = deleteRunBlocks(child, runId) || changed;
  }
  return changed;
}

function restore(doc: Y.Doc, pieces: Y.Array<Y.Map<unknown>>): boolean {
  let changed = false;
  for (const piece of pieces.toArray()) {
    const at = piece.get(KEY.anchorFrom);
    const point = at instanceof Uint8Array ? resolveNotePoint(doc, Y.decodeRelativePosition(at)) : null;
    if (!point) continue;
    const delta = piece.get(KEY.text);
    const element = piece.get(KEY.notes);
    if (point.type instanceof Y.XmlText && Array.isArray(delta)) {
      let index = point.index;
      for (const op of delta as Delta) {
        if (typeof op.insert !== "string") continue;
        point.type.insert(index, op.insert, op.attributes ?? {});
        index += op.insert.length;
      }
      changed = true;
    } else if (!(point.type instanceof Y.XmlText) && element instanceof Y.XmlElement) {
      point.type.insert(Math.min(point.index, point.type.length), [element.clone()]);
      changed = true;
    }
  }
  return changed;
}

function sliceDelta(delta: Delta, index: number, length: number): Delta {
  const out: Delta = [];
  let at = 0;
  for (const op of delta) {
    const text = typeof op.insert === "string" ? op.insert : "";
    const start = Math.max(index - at, 0);
    const end = Math.min(index + length - at, text.length);
    if (end > start) out.push({ insert: text.slice(start, end), ...(op.attributes ? { attributes: op.attributes } : {}) });
    at += text.length;
  }
  return out;
}

/**
 * The pieces between `from` and `to` in document order, skipping what `keepRun` wrote: text
 * ranges, and elements wholly inside. Empty when `to` is never reached after `from`.
 */
function rangeOps(fragment: Y.XmlFragment, from: NotePoint, to: NotePoint, keepRun: string | null): RangeOp[] {
  const ops: RangeOp[] = [];
  let inside = false;
  let done = false;
  const contains = (element: Y.XmlElement, point: NotePoint) => point.type === element || (point.type._item !== null && Y.isParentOf(element, point.type._item));
  const walk = (parent: Y.XmlFragment): void => {
    const children = parent.toArray();
    for (let i = 0; i <= children.length && !done; i++) {
      if (from.type === parent && from.index === i) inside = true;
      if (to.type === parent && to.index === i) {
        done = true;
        return;
      }
      const child = children[i];
      if (child instanceof Y.XmlText) textOps(child);
      else if (child instanceof Y.XmlElement) {
        const keep = keepRun !== null && (child.getAttribute(AI_RUN) === keepRun || containsRun(child, keepRun));
        if (inside && !contains(child, to) && !contains(child, from) && !keep) ops.push({ kind: "element", parent, index: i, element: child });
        else walk(child);
      }
    }
  };
  const textOps = (text: Y.XmlText): void => {
    let start = inside ? 0 : -1;
    if (from.type === text) {
      inside = true;
      start = from.index;
    }
    if (!inside) return;
    const end = to.type === text ? to.index : text.length;
    if (to.type === text) done = true;
    if (end > start) {
      let at = 0;
      for (const op of text.toDelta() as Delta) {
        const length = typeof op.insert === "string" ? op.insert.length : 1;
        const a = Math.max(at, start);
        const b = Math.min(at + length, end);
        const skip = keepRun !== null && aiRunOf(op.attributes)?.runId === keepRun;
        if (b > a && !skip) {
          const last = ops.at(-1);
          if (last?.kind === "text" && last.text === text && last.index + last.length === a) last.length += b - a;
          else ops.push({ kind: "text", text, index: a, length: b - a });
        }
        at += length;
      }
    }
  };
  walk(fragment);
  return done ? ops : [];
}

function containsRun(element: Y.XmlElement, runId: string): boolean {
  for (const text of textsOf(element)) if ((text.toDelta() as Delta).some((op) => aiRunOf(op.attributes)?.runId === runId)) return true;
  return false;
}

function textsOf(parent: Y.XmlFragment): Y.XmlText[] {
  const out: Y.XmlText[] = [];
  for (const child of parent.toArray()) {
    if (child instanceof Y.XmlText) out.push(child);
    else if (child instanceof Y.XmlElement) out.push(...textsOf(child));
  }
  return out;
}

function hasText(element: Y.XmlFragment): boolean {
  return textsOf(element).some((t) => t.length > 0);
}

/** The text block (paragraph, heading, code block) a point lies in, if any. */
function textBlockOf(point: NotePoint): Y.XmlElement | null {
  const element = point.type instanceof Y.XmlText ? point.type.parent : point.type;
  return element instanceof Y.XmlElement && TEXT_BLOCKS.has(element.nodeName) ? element : null;
}

/** The point as an offset in a Y.XmlText of `block` (making one when the block has none there). */
function textPointOf(point: NotePoint, block: Y.XmlElement): NotePoint {
  if (point.type instanceof Y.XmlText) return point;
  const children = block.toArray();
  const before = children[point.index - 1];
  if (before instanceof Y.XmlText) return { type: before, index: before.length };
  const after = children[point.index];
  if (after instanceof Y.XmlText) return { type: after, index: 0 };
  const text = new Y.XmlText();
  block.insert(point.index, [text]);
  return { type: text, index: 0 };
}

function afterElement(element: Y.XmlElement): Y.RelativePosition {
  const parent = element.parent as Y.XmlFragment;
  return Y.createRelativePositionFromTypeIndex(parent, parent.toArray().indexOf(element) + 1, -1);
}

function beforeElement(element: Y.XmlElement): Y.RelativePosition {
  const parent = element.parent as Y.XmlFragment;
  return Y.createRelativePositionFromTypeIndex(parent, parent.toArray().indexOf(element), -1);
}

function alive(type: { _item: Y.Item | null; parent: unknown }): boolean {
  if (type._item === null) return true;
  return !type._item.deleted && (type.parent === null || alive(type.parent as { _item: Y.Item | null; parent: unknown }));
}
