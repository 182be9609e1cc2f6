import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { notesFragment } from "./conversation";
import { findNoteEdit, readNoteEdit, requestNoteEdit, type NoteAnchor } from "./note-edits";
import { classifyLine, noteRangeText, noteRunTexts, NoteRunWriter, removeReplacedRange, undoNoteRun } from "./note-runs";
import { notesJsonText, readNotesJson, writeNotesJson, type NotesNode } from "./notes";

const run = { runId: "run1", persona: "dev", requestedBy: "u1" };
const p = (text: string): NotesNode => ({ type: "paragraph", content: text ? [{ type: "text", text }] : [] });

function notes(...blocks: NotesNode[]): Y.Doc {
  const doc = new Y.Doc();
  writeNotesJson(doc, { type: "doc", content: blocks });
  return doc;
}

/** The Y.XmlText of the n-th top-level block. */
function textOf(doc: Y.Doc, block: number): Y.XmlText {
  return (notesFragment(doc).get(block) as Y.XmlElement).get(0) as Y.XmlText;
}

/** A y-prosemirror-style anchor: offsets in the text of one or two blocks, sticking left. */
function anchor(doc: Y.Doc, from: [number, number], to: [number, number] = from): NoteAnchor {
  return {
    from: Y.createRelativePositionFromTypeIndex(textOf(doc, from[0]), from[1], -1),
    to: Y.createRelativePositionFromTypeIndex(textOf(doc, to[0]), to[1], -1),
  };
}

function stream(doc: Y.Doc, writer: NoteRunWriter, text: string, size = 3): void {
  for (let i = 0; i < text.length; i += size) writer.write(text.slice(i, i + size));
  writer.end();
}

const plain = (doc: Y.Doc) => notesJsonText(readNotesJson(doc));
const types = (doc: Y.Doc) => readNotesJson(doc).content!.map((n) => n.type);

describe("Markdown line starts (NOTE-3)", () => {
  it("waits while a line start could still open several blocks", () => {
    expect(classifyLine("-", false)).toBeNull();
    expect(classifyLine("- [", false)).toBeNull();
    expect(classifyLine("##", false)).toBeNull();
    expect(classifyLine("12.", false)).toBeNull();
    expect(classifyLine("``", false)).toBeNull();
    expect(classifyLine("- [x] done", false)).toEqual({ kind: "task", checked: true, skip: 6 });
    expect(classifyLine("- item", false)).toEqual({ kind: "bullet", skip: 2 });
    expect(classifyLine("## Plan", false)).toEqual({ kind: "heading", level: 2, skip: 3 });
    expect(classifyLine("3) third", false)).toEqual({ kind: "ordered", skip: 3 });
    expect(classifyLine("> quoted", false)).toEqual({ kind: "quote", skip: 2 });
    expect(classifyLine("```ts", true)).toEqual({ kind: "fence", language: "ts", skip: 5 });
    expect(classifyLine("Plain", false)).toEqual({ kind: "paragraph", skip: 0 });
    expect(classifyLine("-", true)).toEqual({ kind: "paragraph", skip: 0 });
  });
});

describe("streaming a run into the notes (NOTE-3)", () => {
  it("turns streamed Markdown into blocks at the end of the notes, marked with the run", () => {
    const doc = notes(p("Intro"));
    const writer = new NoteRunWriter(doc, run, null, { inline: false });
    stream(doc, writer, "## Plan\n\n- [ ] Ship it\n- [x] Test it\n1. one\n2. two\n> careful\n```ts\nlet a = 1;\nlet b;\n```\nDone.");
    expect(readNotesJson(doc).content!.slice(1).map((n) => [n.type, n.attrs?.aiRun])).toEqual([
      ["heading", "run1"], ["taskList", "run1"], ["orderedList", "run1"], ["blockquote", "run1"], ["codeBlock", "run1"], ["paragraph", "run1"],
    ]);
    expect(plain(doc)).toBe("Intro\nPlan\nShip it\nTest it\none\ntwo\ncareful\nlet a = 1;\nlet b;\nDone.");
    expect(readNotesJson(doc).content![2]!.content!.map((item) => item.attrs?.checked)).toEqual([false, true]);
    expect(readNotesJson(doc).content![5]!.attrs).toEqual({ language: "ts", aiRun: "run1" });
    expect(noteRunTexts(doc).get("run1")).toBe("PlanShip itTest itonetwocarefullet a = 1;\nlet b;Done.");
  });

  it("continues inline at the caret, and later lines become blocks after that paragraph", () => {
    const doc = notes(p("Hello world"), p("Next"));
    const writer = new NoteRunWriter(doc, run, anchor(doc, [0, 5]), { inline: true });
    expect(writer.mode).toBe("inline");
    stream(doc, writer, " there\nSecond line");
    expect(plain(doc)).toBe("Hello there world\nSecond line\nNext");
    const marked = (textOf(doc, 0).toDelta() as { insert: string; attributes?: Record<string, unknown> }[]).map((op) => [op.insert, Boolean(op.attributes?.aiRun)]);
    expect(marked).toEqual([["Hello", false], [" there", true], [" world", false]]);
  });

  it("writes above an empty line the caret is on", () => {
    const doc = notes(p("Top"), p(""));
    const empty = notesFragment(doc).get(1) as Y.XmlElement;
    const at: NoteAnchor = { from: Y.createRelativePositionFromTypeIndex(empty, 0), to: Y.createRelativePositionFromTypeIndex(empty, 0) };
    const writer = new NoteRunWriter(doc, run, at, { inline: true });
    expect(writer.mode).toBe("block");
    stream(doc, writer, "- a\n- b");
    expect(types(doc)).toEqual(["paragraph", "bulletList", "paragraph"]);
    expect(plain(doc)).toBe("Top\na\nb");
  });

  it("keeps its place while another peer types before it, and both converge", () => {
    const doc = notes(p("Alpha"), p("Omega"));
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    const writer = new NoteRunWriter(doc, run, anchor(doc, [0, 5]), { inline: true });
    writer.write(" beta");
    textOf(other, 0).insert(0, "Ann: ");
    textOf(other, 1).insert(5, "!");
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(other));
    writer.write(" gamma");
    writer.end();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(doc));
    expect(plain(doc)).toBe("Ann: Alpha beta gamma\nOmega!");
    expect(plain(other)).toBe(plain(doc));
  });
});

describe("replacing a selection and undoing a run (NOTE-4, NOTE-6)", () => {
  it("removes the replaced text only on completion, and undo puts it back", () => {
    const doc = notes(p("Keep this bad sentence here."));
    requestNoteEdit(doc, { id: "run1", kind: "rewrite", instruction: "", requestedBy: "u1", requestedByName: "Ann", createdAt: 1 });
    const at = anchor(doc, [0, 10], [0, 22]);
    expect(noteRangeText(doc, at)).toBe("bad sentence");
    const writer = new NoteRunWriter(doc, run, at, { inline: true });
    stream(doc, writer, "good line");
    expect(plain(doc)).toBe("Keep this bad sentencegood line here.");
    removeReplacedRange(doc, at, "run1");
    expect(plain(doc)).toBe("Keep this good line here.");
    textOf(doc, 0).insert(0, ">> ");
    textOf(doc, 0).insert(textOf(doc, 0).length, " <<");
    expect(undoNoteRun(doc, "run1", "u2")).toBe(true);
    expect(plain(doc)).toBe(">> Keep this bad sentence here. <<");
    expect(readNoteEdit(findNoteEdit(doc, "run1")!)).toMatchObject({ undone: true, undoneBy: "u2" });
    expect(undoNoteRun(doc, "run1", "u2")).toBe(false);
  });

  it("replaces a selection across blocks: inner blocks go, edge blocks keep their outside text", () => {
    const doc = notes(p("One two"), p("Middle"), p("three four"));
    requestNoteEdit(doc, { id: "run1", kind: "shorten", instruction: "", requestedBy: "u1", requestedByName: "Ann", createdAt: 1 });
    const at = anchor(doc, [0, 4], [2, 5]);
    expect(noteRangeText(doc, at)).toBe("two\nMiddle\nthree");
    textOf(doc, 1).format(0, 3, { bold: {} });
    expect(noteRangeText(doc, at)).toBe("two\nMiddle\nthree");
    const writer = new NoteRunWriter(doc, run, at, { inline: true });
    expect(writer.mode).toBe("block");
    stream(doc, writer, "Short.");
    removeReplacedRange(doc, at, "run1");
    expect(plain(doc)).toBe("One \n four\nShort.");
    undoNoteRun(doc, "run1", "u1");
    expect(plain(doc)).toBe("One two\nMiddle\nthree four");
  });

  it("undo removes exactly the run's text with human edits around and inside its blocks", () => {
    const doc = notes(p("Mine"));
    const writer = new NoteRunWriter(doc, run, null, { inline: false });
    stream(doc, writer, "## AI title\n- first\n- second\nTail");
    const fragment = notesFragment(doc);
    // A person types into the AI's heading and adds a paragraph between AI blocks.
    const heading = fragment.get(1) as Y.XmlElement;
    (heading.get(0) as Y.XmlText).insert(0, "My ");
    const human = new Y.XmlElement("paragraph");
    fragment.insert(3, [human]);
    human.insert(0, [new Y.XmlText("between")]);
    undoNoteRun(doc, "run1", "u1");
    expect(plain(doc)).toBe("Mine\nMy \nbetween");
    expect(types(doc)).toEqual(["paragraph", "heading", "paragraph"]);
  });
});
