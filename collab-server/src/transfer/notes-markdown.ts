// The notes (ProseMirror JSON of Tiptap's StarterKit) as Markdown and back, for the Markdown
// export. Headings, paragraphs, lists, quotes, code blocks, rules, hard breaks, bold, italic,
// strike, inline code and links survive a round trip; other marks keep their text only.
import type { NotesMark, NotesNode } from "@junokit/doc-model";
import { Lexer, type Token, type Tokens } from "marked";

// ---- notes → Markdown ------------------------------------------------------------------

export function notesToMarkdown(doc: NotesNode): string {
  return blocks(doc.content ?? []).join("\n\n");
}

function blocks(nodes: NotesNode[]): string[] {
  // Empty blocks (Tiptap's empty paragraphs) have no Markdown; they are left out.
  return nodes.map(block).filter((b): b is string => Boolean(b));
}

function block(node: NotesNode): string | null {
  const children = node.content ?? [];
  switch (node.type) {
    case "paragraph":
      return inline(children);
    case "heading":
      return `${"#".repeat(clampLevel(node.attrs?.level))} ${inline(children)}`;
    case "blockquote":
      return prefixLines(blocks(children).join("\n\n"), "> ", ">");
    case "bulletList":
      return children.map((item) => listItem(item, "- ")).join("\n");
    case "orderedList": {
      const start = Number.isInteger(node.attrs?.start) ? (node.attrs!.start as number) : 1;
      return children.map((item, i) => listItem(item, `${start + i}. `)).join("\n");
    }
    case "codeBlock": {
      const code = children.map((c) => c.text ?? "").join("");
      const fence = "`".repeat(Math.max(3, longestRun(code, "`") + 1));
      const language = typeof node.attrs?.language === "string" ? node.attrs.language : "";
      return `${fence}${language}\n${code}\n${fence}`;
    }
    case "horizontalRule":
      return "---";
    default:
      // Unknown blocks keep their text.
      return children.length ? (children.some((c) => c.type === "text") ? inline(children) : blocks(children).join("\n\n")) : null;
  }
}

function listItem(item: NotesNode, marker: string): string {
  const body = blocks(item.content ?? []).join("\n\n") || "";
  return marker + prefixLines(body, " ".repeat(marker.length), "").slice(marker.length);
}

function prefixLines(text: string, prefix: string, emptyPrefix: string): string {
  return text.split("\n").map((line) => (line ? prefix + line : emptyPrefix)).join("\n");
}

const MARK_SYNTAX: Record<string, [string, string]> = { bold: ["**", "**"], italic: ["*", "*"], strike: ["~~", "~~"] };

/** Inline content with marks opened and closed around runs (like prosemirror-markdown). */
function inline(nodes: NotesNode[]): string {
  let out = "";
  let open: NotesMark[] = [];
  const close = (keep: number) => {
    while (open.length > keep) out += closing(open.pop()!);
  };
  for (const node of nodes) {
    if (node.type === "hardBreak") {
      close(0);
      out += "\\\n";
      continue;
    }
    if (node.type !== "text" || !node.text) continue;
    const marks = (node.marks ?? []).filter((m) => m.type in MARK_SYNTAX || m.type === "link" || m.type === "code");
    const code = marks.some((m) => m.type === "code");
    const wanted = marks.filter((m) => m.type !== "code");
    let keep = 0;
    while (keep < open.length && keep < wanted.length && sameMark(open[keep]!, wanted[keep]!)) keep++;
    close(keep);
    // Spaces at the edges of a marked run go outside it, or Markdown would not see the mark.
    const [, lead, core, trail] = /^(\s*)([\s\S]*?)(\s*)$/.exec(node.text)!;
    out += lead;
    for (const mark of wanted.slice(keep)) (out += opening(mark), open.push(mark));
    out += code ? codeSpan(core!) : escapeText(core!);
    if (trail) {
      close(0);
      out += trail;
    }
  }
  close(0);
  return out;
}

function sameMark(a: NotesMark, b: NotesMark): boolean {
  return a.type === b.type && JSON.stringify(a.attrs ?? {}) === JSON.stringify(b.attrs ?? {});
}

function opening(mark: NotesMark): string {
  return mark.type === "link" ? "[" : MARK_SYNTAX[mark.type]![0];
}

function closing(mark: NotesMark): string {
  if (mark.type !== "link") return MARK_SYNTAX[mark.type]![1];
  // Brackets and spaces would end the link's destination early; percent-encode them.
  const href = String(mark.attrs?.href ?? "").replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
  return `](${href})`;
}

function codeSpan(text: string): string {
  const ticks = "`".repeat(longestRun(text, "`") + 1);
  const pad = text.startsWith("`") || text.endsWith("`") || /^ .* $/.test(text) ? " " : "";
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

/** Backslash-escapes what Markdown would read as syntax. */
function escapeText(text: string): string {
  return text
    .replace(/[\\`*_[\]<>~|]/g, "\\$&")
    .replace(/^(\s*)([#>+-])(?=\s|$)/gm, "$1\\$2")
    .replace(/^(\s*\d+)([.)])(?=\s|$)/gm, "$1\\$2")
    .replace(/^(\s*)([-=])(?=\2+\s*$)/gm, "$1\\$2");
}

function longestRun(text: string, char: string): number {
  let best = 0;
  let run = 0;
  for (const c of text) best = Math.max(best, (run = c === char ? run + 1 : 0));
  return best;
}

function clampLevel(level: unknown): number {
  return typeof level === "number" && level >= 1 && level <= 6 ? Math.floor(level) : 1;
}

// ---- Markdown → notes ------------------------------------------------------------------

export function markdownToNotes(markdown: string): NotesNode {
  return { type: "doc", content: blockTokens(new Lexer({ gfm: true }).lex(markdown)) };
}

function blockTokens(tokens: Token[]): NotesNode[] {
  const out: NotesNode[] = [];
  for (const token of tokens) {
    const node = blockToken(token);
    if (node) out.push(node);
  }
  return out;
}

function blockToken(token: Token): NotesNode | null {
  switch (token.type) {
    case "heading":
      return withContent({ type: "heading", attrs: { level: (token as Tokens.Heading).depth } }, inlineTokens((token as Tokens.Heading).tokens));
    case "paragraph":
    case "text":
      return withContent({ type: "paragraph" }, inlineTokens((token as Tokens.Paragraph).tokens ?? [{ type: "text", raw: token.raw, text: (token as Tokens.Text).text }]));
    case "blockquote":
      return withContent({ type: "blockquote" }, blockTokens((token as Tokens.Blockquote).tokens));
    case "list": {
      const list = token as Tokens.List;
      const node: NotesNode = list.ordered ? { type: "orderedList", attrs: { start: Number(list.start) || 1 } } : { type: "bulletList" };
      return withContent(node, list.items.map((item) => withContent({ type: "listItem" }, blockTokens(item.tokens).length ? blockTokens(item.tokens) : [{ type: "paragraph" }])));
    }
    case "code": {
      const code = token as Tokens.Code;
      return withContent({ type: "codeBlock", attrs: { language: code.lang?.trim() || null } }, code.text ? [{ type: "text", text: code.text }] : []);
    }
    case "hr":
      return { type: "horizontalRule" };
    case "space":
    case "def":
      return null;
    default:
      // Tables, HTML blocks and the like keep their source text.
      return token.raw.trim() ? { type: "paragraph", content: [{ type: "text", text: token.raw.trim() }] } : null;
  }
}

function inlineTokens(tokens: Token[], marks: NotesMark[] = []): NotesNode[] {
  const out: NotesNode[] = [];
  const text = (value: string, extra: NotesMark[] = []) => {
    if (!value) return;
    const all = [...marks, ...extra];
    const last = out.at(-1);
    // Adjacent runs with the same marks are one text node, as ProseMirror keeps them.
    if (last?.type === "text" && JSON.stringify(last.marks ?? []) === JSON.stringify(all)) last.text += value;
    else out.push(all.length ? { type: "text", text: value, marks: all } : { type: "text", text: value });
  };
  for (const token of tokens) {
    switch (token.type) {
      case "strong":
      case "em":
      case "del": {
        const type = { strong: "bold", em: "italic", del: "strike" }[token.type];
        for (const child of inlineTokens((token as Tokens.Strong).tokens, [...marks, { type }])) merge(out, child);
        break;
      }
      case "link": {
        const link = token as Tokens.Link;
        for (const child of inlineTokens(link.tokens, [...marks, { type: "link", attrs: { href: decodeHref(link.href) } }])) merge(out, child);
        break;
      }
      case "codespan":
        text((token as Tokens.Codespan).text, [{ type: "code" }]);
        break;
      case "br":
        out.push({ type: "hardBreak" });
        break;
      case "text":
        if ((token as Tokens.Text).tokens?.length) for (const child of inlineTokens((token as Tokens.Text).tokens!, marks)) merge(out, child);
        else text((token as Tokens.Text).text);
        break;
      case "escape":
        text((token as Tokens.Escape).text);
        break;
      case "image":
        text((token as Tokens.Image).text);
        break;
      default:
        text(token.raw);
    }
  }
  return out;
}

function merge(out: NotesNode[], node: NotesNode): void {
  const last = out.at(-1);
  if (node.type === "text" && last?.type === "text" && JSON.stringify(last.marks ?? []) === JSON.stringify(node.marks ?? [])) last.text += node.text ?? "";
  else out.push(node);
}

function decodeHref(href: string): string {
  try {
    return decodeURI(href);
  } catch {
    return href;
  }
}

function withContent(node: NotesNode, content: NotesNode[]): NotesNode {
  return content.length ? { ...node, content } : node;
}
