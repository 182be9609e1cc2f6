import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { notesFragment } from "./conversation";
import { notesJsonText, readNotesJson, writeNotesJson, type NotesNode } from "./notes";

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
