// The versioned JSON interchange formats (SPEC XFER-1): one conversation, and a workspace
// archive of conversations. Zod schemas bound every size, so validating a file also bounds
// the memory an import can take.
import { AI_MODES, MESSAGE_STATUSES, type AiMode, type MessageStatus, type NotesNode } from "@junokit/doc-model";
import { z } from "zod";

export const CONVERSATION_FORMAT = "junokit.conversation";
export const WORKSPACE_FORMAT = "junokit.workspace";
export const FORMAT_VERSION = 1;

export interface ImportLimits {
  /** Request body, bytes (default 20 MiB). */
  maxBytes: number;
  /** A raw Yjs update, bytes (default 8 MiB): decoding one costs far more memory than its size. */
  maxYjsBytes: number;
  maxConversations: number;
  maxMessagesPerConversation: number;
  maxMessages: number;
  /** Characters of one message's text (or reasoning). */
  maxTextChars: number;
  /** Nodes and nesting depth of one conversation's notes. */
  maxNotesNodes: number;
  maxNotesDepth: number;
}

export const DEFAULT_IMPORT_LIMITS: ImportLimits = {
  maxBytes: 20 * 1024 * 1024,
  maxYjsBytes: 8 * 1024 * 1024,
  maxConversations: 1000,
  maxMessagesPerConversation: 20_000,
  maxMessages: 100_000,
  maxTextChars: 1_000_000,
  maxNotesNodes: 50_000,
  maxNotesDepth: 40,
};

export interface ExportedMessage {
  id: string;
  role: "user" | "assistant";
  authorId: string;
  authorName: string;
  createdAt: number;
  text: string;
  status: MessageStatus;
  replyTo?: string;
  model?: string;
  reasoning?: string;
  error?: string;
}

export interface ExportedMeta {
  title: string;
  persona: string;
  ai: AiMode;
  createdAt: number;
  createdBy: string;
  workspaceId?: string;
  conversationId?: string;
  exportedAt?: number;
}

export interface ExportedConversation {
  format: typeof CONVERSATION_FORMAT;
  version: typeof FORMAT_VERSION;
  meta: ExportedMeta;
  messages: ExportedMessage[];
  /** ProseMirror JSON (`{type: "doc", content}`), exactly as Tiptap keeps the notes. */
  notes: NotesNode;
}

export interface ExportedWorkspace {
  format: typeof WORKSPACE_FORMAT;
  version: typeof FORMAT_VERSION;
  workspace: { id: string; name: string };
  exportedAt: number;
  conversations: ExportedConversation[];
}

const time = z.number().finite().min(0).max(8.64e15);
const shortText = z.string().max(1000);

export function conversationSchema(limits: ImportLimits) {
  const text = z.string().max(limits.maxTextChars, `at most ${limits.maxTextChars} characters`);
  const message = z.object({
    id: z.string().min(1).max(200),
    role: z.enum(["user", "assistant"]),
    authorId: shortText.default(""),
    authorName: shortText.default(""),
    createdAt: time,
    text,
    status: z.enum(MESSAGE_STATUSES as [MessageStatus, ...MessageStatus[]]).default("done"),
    replyTo: z.string().max(200).optional(),
    model: shortText.optional(),
    reasoning: text.optional(),
    error: z.string().max(10_000).optional(),
  });
  const meta = z.object({
    title: z.string().max(200).default(""),
    persona: z.string().max(64).default("dev"),
    ai: z.enum(AI_MODES as [AiMode, ...AiMode[]]).default("auto"),
    createdAt: time.default(0),
    createdBy: shortText.default(""),
  });
  return z.object({
    format: z.literal(CONVERSATION_FORMAT),
    version: z.literal(FORMAT_VERSION),
    meta,
    messages: z.array(message).max(limits.maxMessagesPerConversation, `at most ${limits.maxMessagesPerConversation} messages per conversation`),
    notes: notesSchema(limits).default({ type: "doc" }),
  });
}

/** Notes nodes, checked by hand: a recursive schema would recurse as deep as the file does. */
function notesSchema(limits: ImportLimits) {
  return z.custom<NotesNode>((value) => notesProblem(value, limits) === null, {
    error: (issue) => notesProblem(issue.input, limits) ?? "invalid notes",
  });
}

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Why a value is not a bounded ProseMirror JSON node tree, or null when it is one. */
export function notesProblem(root: unknown, limits: ImportLimits): string | null {
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 0 }];
  let count = 0;
  while (stack.length > 0) {
    const { node, depth } = stack.pop()!;
    if (++count > limits.maxNotesNodes) return `notes: more than ${limits.maxNotesNodes} nodes`;
    if (depth > limits.maxNotesDepth) return `notes: nested deeper than ${limits.maxNotesDepth}`;
    if (!isPlainObject(node) || typeof node.type !== "string" || !/^[A-Za-z][A-Za-z0-9_-]{0,63}$/.test(node.type)) {
      return "notes: every node needs a `type` name";
    }
    if (node.text !== undefined && (typeof node.text !== "string" || node.text.length > limits.maxTextChars)) return "notes: `text` must be a string";
    if (node.attrs !== undefined && !isPlainObject(node.attrs)) return "notes: `attrs` must be an object";
    if (node.marks !== undefined && (!Array.isArray(node.marks) || !node.marks.every((m) => isPlainObject(m) && typeof m.type === "string"))) {
      return "notes: `marks` must be a list of {type}";
    }
    if (node.content !== undefined) {
      if (!Array.isArray(node.content)) return "notes: `content` must be a list";
      for (const child of node.content) stack.push({ node: child, depth: depth + 1 });
    }
  }
  return null;
}

export function workspaceSchema(limits: ImportLimits) {
  return z.object({
    format: z.literal(WORKSPACE_FORMAT),
    version: z.literal(FORMAT_VERSION),
    workspace: z.object({ id: z.string().max(64), name: z.string().max(200) }).partial().optional(),
    conversations: z.array(conversationSchema(limits)).max(limits.maxConversations, `at most ${limits.maxConversations} conversations`),
  });
}
