// A conversation as Markdown (SPEC XFER-2): readable as it is, and importable again. Each
// message starts with an HTML comment carrying its fields and its text's length, so the text
// is read back exactly even when it contains Markdown headings or comments of its own.
import { ImportError } from "./errors";
import { CONVERSATION_FORMAT, FORMAT_VERSION, type ExportedConversation } from "./formats";
import { markdownToNotes, notesToMarkdown } from "./notes-markdown";
import { parseUntrustedJson } from "./safe-json";

const MESSAGE_MARKER = "<!-- junokit:message ";
const NOTES_MARKER = "<!-- junokit:notes -->";
const NOTES_HEADING = "## Notes";
const MARKER_PREFIX = "<!-- junokit:";
const MARKER_LINE = /^<!-- junokit:(message (\{.*\})|notes) -->$/gm;

export function conversationToMarkdown(c: ExportedConversation): string {
  const front = {
    format: CONVERSATION_FORMAT, version: FORMAT_VERSION, title: c.meta.title, persona: c.meta.persona, ai: c.meta.ai,
    createdAt: c.meta.createdAt, exportedAt: c.meta.exportedAt ?? Date.now(),
  };
  const out = ["---", ...Object.entries(front).map(([k, v]) => `${k}: ${JSON.stringify(v)}`), "---", "", `# ${oneLine(c.meta.title) || "Conversation"}`, ""];
  for (const m of c.messages) {
    const fields: Record<string, unknown> = { id: m.id, role: m.role, authorId: m.authorId, authorName: m.authorName, createdAt: m.createdAt, status: m.status };
    for (const key of ["replyTo", "model", "error"] as const) if (m[key] !== undefined) fields[key] = m[key];
    fields.length = m.text.length;
    const who = m.role === "assistant" ? `${oneLine(m.authorName) || "AI"} (AI${m.model ? `, ${oneLine(m.model)}` : ""})` : oneLine(m.authorName) || "Someone";
    out.push(`${MESSAGE_MARKER}${commentSafe(JSON.stringify(fields))} -->`, `### ${who} · ${when(m.createdAt)}`, "", m.text, "");
  }
  const notes = notesToMarkdown(c.notes);
  if (notes) out.push(NOTES_MARKER, NOTES_HEADING, "", notes, "");
  return out.join("\n");
}

/** Reads a Markdown export back into the JSON shape; the caller validates it. */
export function markdownToConversation(markdown: string): unknown {
  const { meta, body } = frontMatter(markdown);
  if (meta.format !== CONVERSATION_FORMAT) {
    throw new ImportError(400, "unknown_format", "this Markdown is not a JunoKit conversation export (its front matter needs format: \"junokit.conversation\")");
  }
  if (meta.version !== FORMAT_VERSION) throw new ImportError(400, "unsupported_version", `version ${JSON.stringify(meta.version)} of the Markdown export is not supported; this server reads version ${FORMAT_VERSION}`);
  const markers = [...body.matchAll(MARKER_LINE)];
  const messages: Record<string, unknown>[] = [];
  let notes = "";
  let resumeAt = 0;
  for (const [i, marker] of markers.entries()) {
    // A marker-like line inside a message's text was already consumed with that text.
    if (marker.index < resumeAt) continue;
    const start = marker.index + marker[0].length + 1;
    const next = markers.slice(i + 1).find((m) => m.index >= start)?.index ?? body.length;
    if (marker[1] === "notes") {
      notes = stripHeading(body.slice(start), NOTES_HEADING).trim();
      break;
    }
    const fields = parseUntrustedJson(marker[2]!) as Record<string, unknown>;
    if (typeof fields !== "object" || fields === null || Array.isArray(fields)) throw new ImportError(400, "invalid_markdown", "a message marker does not hold an object");
    const textStart = afterHeading(body, start);
    const { text, end } = messageText(body, textStart, next, fields.length);
    delete fields.length;
    messages.push({ ...fields, text });
    resumeAt = end;
  }
  return { format: CONVERSATION_FORMAT, version: FORMAT_VERSION, meta, messages, notes: markdownToNotes(notes) };
}

/**
 * The text is `length` characters when the file still has the exporter's layout after it
 * (a blank line and the next marker, or the end); otherwise (edited by hand) everything up to
 * the next marker.
 */
function messageText(body: string, start: number, next: number, length: unknown): { text: string; end: number } {
  if (typeof length === "number" && Number.isInteger(length) && length >= 0 && start + length <= body.length) {
    const end = start + length;
    const rest = body.slice(end, end + 2 + MARKER_PREFIX.length);
    if (rest === `\n\n${MARKER_PREFIX}` || /^\n*$/.test(body.slice(end))) return { text: body.slice(start, end), end };
  }
  return { text: body.slice(start, next).replace(/\n+$/, ""), end: next };
}

function afterHeading(body: string, from: number): number {
  if (!body.startsWith("### ", from)) return from;
  const eol = body.indexOf("\n", from);
  if (eol < 0) return body.length;
  return body.startsWith("\n", eol + 1) ? eol + 2 : eol + 1;
}

function stripHeading(text: string, heading: string): string {
  return text.startsWith(heading) ? text.slice(heading.length) : text;
}

function frontMatter(markdown: string): { meta: Record<string, unknown>; body: string } {
  let text = markdown.replace(/^\uFEFF/, "");
  // Saved again on Windows: exact text lengths are lost, markers still work.
  if (text.startsWith("---\r\n")) text = text.replace(/\r\n/g, "\n");
  if (!text.startsWith("---\n")) throw new ImportError(400, "unknown_format", "this Markdown has no JunoKit front matter (it must start with ---)");
  const end = text.indexOf("\n---\n", 3);
  if (end < 0) throw new ImportError(400, "invalid_markdown", "the front matter is not closed with ---");
  const meta = new Map<string, unknown>();
  for (const line of text.slice(4, end).split("\n")) {
    const match = /^([A-Za-z]+):\s*(.*)$/.exec(line);
    if (match) meta.set(match[1]!, yamlScalar(match[2]!));
  }
  return { meta: Object.fromEntries([...meta].filter(([k]) => !["__proto__", "constructor", "prototype"].includes(k))), body: text.slice(end + 5) };
}

/** The exporter writes JSON scalars (valid YAML); a hand-edited bare word stays a string. */
function yamlScalar(value: string): unknown {
  try {
    return parseUntrustedJson(value);
  } catch {
    return value.trim();
  }
}

function commentSafe(json: string): string {
  // Inside an HTML comment "-->" would end it; JSON allows the escaped forms.
  return json.replace(/</g, "\\u003c").replace(/>/g, "\\u003e");
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

function when(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? "unknown time" : `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}
