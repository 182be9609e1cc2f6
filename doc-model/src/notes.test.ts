import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { notesFragment } from "./conversation";
import { appendNotesBlocks, notesBlocksBeyond, notesJsonText, readNotesJson, writeNotesJson, type NotesNode } from "./notes";

const sample: NotesNode = {
  type: "doc",
  content: [
    { type: "heading", attrs: { level: 2 }, content: [{ type: "text", text: "Plan" }] },
    {
      type: "paragraph",
      content: [
        { type: "text", text: "Ship " },
        { type: "text", text: "fast", marks: [{ type: "bold" }] },
        { type: "text", text: " and " },
        { type: "text", text: "docs", marks: [{ type: "link", attrs: { href: "https://x.test" } }, { type: "italic" }] },
        { type: "hardBreak" },
        { type: "text", text: "next line" },
      ],
    },
    { type: "bulletList", content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "one" }] }] }] },
    { type: "codeBlock", attrs: { language: "ts" }, content: [{ type: "text", text: "let a = 1;" }] },
  ],
};

describe("notes as ProseMirror JSON", () => {
  it("round-trips JSON through the Yjs notes fragment", () => {
    const doc = new Y.Doc();
    writeNotesJson(doc, sample);
    const copy = new Y.Doc();
    Y.applyUpdate(copy, Y.encodeStateAsUpdate(doc));
    expect(readNotesJson(copy)).toEqual(sample);
  });

  it("reads what y-prosemirror writes: elements with attributes, formatted text, hashed mark names", () => {
    const doc = new Y.Doc();
    const p = new Y.XmlElement("paragraph");
    notesFragment(doc).insert(0, [p]);
    const text = new Y.XmlText();
    p.insert(0, [text]);
    text.insert(0, "plain ");
    text.insert(6, "bold", { bold: {} });
    text.insert(10, " link", { "link--abc123": { href: "https://a.test" } });
    expect(readNotesJson(doc)).toEqual({
      type: "doc",
      content: [{
        type: "paragraph",
        content: [
          { type: "text", text: "plain " },
          { type: "text", text: "bold", marks: [{ type: "bold" }] },
          { type: "text", text: " link", marks: [{ type: "link", attrs: { href: "https://a.test" } }] },
        ],
      }],
    });
  });

  it("replaces earlier notes instead of appending", () => {
    const doc = new Y.Doc();
    writeNotesJson(doc, sample);
    writeNotesJson(doc, { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "only" }] }] });
    expect(notesJsonText(readNotesJson(doc))).toBe("only");
  });

  it("gives plain text one line per block", () => {
    expect(notesJsonText(sample)).toBe("Plan\nShip fast and docs\nnext line\none\nlet a = 1;");
  });
});

describe("notes edits beyond what the server acknowledged (SPEC OFF-RESET-4)", () => {
  const vector = (doc: Y.Doc) => Y.decodeStateVector(Y.encodeStateVector(doc));
  const para = (text: string): NotesNode => ({ type: "paragraph", content: [{ type: "text", text }] });

  function acknowledgedNotes() {
    const doc = new Y.Doc();
    writeNotesJson(doc, { type: "doc", content: [para("kept as it was"), para("edited here"), para("formatted here"), para("emptied here")] });
    return { doc, known: vector(doc) };
  }

  it("OFF-RESET-4 finds new blocks, typed text and formatting, in order; untouched blocks are left out", () => {
    const { doc, known } = acknowledgedNotes();
    expect(notesBlocksBeyond(doc, known)).toEqual([]);
    const [, edited, formatted] = notesFragment(doc).toArray() as Y.XmlElement[];
    doc.transact(() => {
      (edited!.get(0) as Y.XmlText).insert(11, " offline");
      (formatted!.get(0) as Y.XmlText).format(0, 9, { bold: {} });
    });
    appendNotesBlocks(doc, [para("a new block")]);
    expect(notesBlocksBeyond(doc, known)).toEqual([
      para("edited here offline"),
      { type: "paragraph", content: [{ type: "text", text: "formatted", marks: [{ type: "bold" }] }, { type: "text", text: " here" }] },
      para("a new block"),
    ]);
  });

  it("OFF-RESET-4 a block that only lost text is not found (deletions leave no trace in a state vector)", () => {
    const { doc, known } = acknowledgedNotes();
    const emptied = notesFragment(doc).get(3) as Y.XmlElement;
    (emptied.get(0) as Y.XmlText).delete(0, 7);
    expect(notesBlocksBeyond(doc, known)).toEqual([]);
  });

  it("OFF-RESET-4 appended blocks go after the existing notes", () => {
    const doc = new Y.Doc();
    writeNotesJson(doc, { type: "doc", content: [para("server")] });
    appendNotesBlocks(doc, [para("carried one"), para("carried two")]);
    expect(notesJsonText(readNotesJson(doc))).toBe("server\ncarried one\ncarried two");
  });
});
