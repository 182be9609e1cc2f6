import type { NotesNode } from "@junokit/doc-model";
import { describe, expect, it } from "vitest";
import { markdownToNotes, notesToMarkdown } from "./notes-markdown";

const t = (text: string, ...marks: string[]): NotesNode => (marks.length ? { type: "text", text, marks: marks.map((type) => ({ type })) } : { type: "text", text });
const p = (...content: NotesNode[]): NotesNode => ({ type: "paragraph", content });

const notes: NotesNode = {
  type: "doc",
  content: [
    { type: "heading", attrs: { level: 2 }, content: [t("Release "), t("plan", "italic")] },
    p(t("Ship "), t("fast", "bold"), t(" and "), t("safe", "bold", "italic"), t(", see "), { type: "text", text: "the docs", marks: [{ type: "link", attrs: { href: "https://example.com/a b(c)" } }] }, t(".")),
    p(t("Literal *stars*, _underscores_, `ticks`, <tags> and \\backslashes\\")),
    p(t("1. not a list"), { type: "hardBreak" }, t("# not a heading")),
    p(t("use "), t("npm ci", "code"), t(" or "), t("a `tick`", "code"), t(" "), t("gone", "strike")),
    { type: "bulletList", content: [
      { type: "listItem", content: [p(t("one"))] },
      { type: "listItem", content: [p(t("two")), { type: "bulletList", content: [{ type: "listItem", content: [p(t("nested"))] }] }] },
    ] },
    { type: "orderedList", attrs: { start: 3 }, content: [{ type: "listItem", content: [p(t("three"))] }, { type: "listItem", content: [p(t("four"))] }] },
    { type: "blockquote", content: [p(t("quoted")), p(t("twice"))] },
    { type: "codeBlock", attrs: { language: "ts" }, content: [t("const a = 1;\n```\nconst b = `x`;")] },
    { type: "horizontalRule" },
    p(),
    p(t("end")),
  ],
};

describe("notes as Markdown", () => {
  it("writes readable Markdown", () => {
    const md = notesToMarkdown(notes);
    expect(md).toContain("## Release *plan*");
    expect(md).toContain("Ship **fast** and ***safe***, see [the docs](https://example.com/a%20b%28c%29).");
    expect(md).toContain("Literal \\*stars\\*, \\_underscores\\_, \\`ticks\\`, \\<tags\\> and \\\\backslashes\\\\");
    expect(md).toContain("- one\n- two\n\n  - nested");
    expect(md).toContain("3. three\n4. four");
    expect(md).toContain("> quoted\n>\n> twice");
    expect(md).toContain("````ts\nconst a = 1;\n```\nconst b = `x`;\n````");
  });

  it("reads its own Markdown back to the same notes (empty paragraphs aside) and the same Markdown", () => {
    const md = notesToMarkdown(notes);
    const back = markdownToNotes(md);
    expect(notesToMarkdown(back)).toBe(md);
    const expected = { ...notes, content: notes.content!.filter((n) => n.type !== "paragraph" || n.content?.length) };
    // Markdown nests marks in its own order ("***x***" is emphasis around strong); the set is what counts.
    expect(sortMarks(back)).toEqual(sortMarks(expected));
  });

  it("reads ordinary Markdown written by people", () => {
    const back = markdownToNotes("Title\n=====\n\n* a\n* b\n\nSome __bold__ text  \nwith a break\n\n| a | b |\n|---|---|\n| 1 | 2 |\n");
    expect(back.content!.map((n) => n.type)).toEqual(["heading", "bulletList", "paragraph", "paragraph"]);
    expect(back.content![2]!.content).toEqual([t("Some "), t("bold", "bold"), t(" text"), { type: "hardBreak" }, t("with a break")]);
    expect(back.content![3]!.content![0]!.text).toContain("| 1 | 2 |");
  });
});

function sortMarks(node: NotesNode): NotesNode {
  return {
    ...node,
    ...(node.marks ? { marks: [...node.marks].sort((a, b) => a.type.localeCompare(b.type)) } : {}),
    ...(node.content ? { content: node.content.map(sortMarks) } : {}),
  };
}
