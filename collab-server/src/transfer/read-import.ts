import * as Y from "yjs";
import type { z } from "zod";
import { fromChatGpt, looksLikeChatGpt } from "./chatgpt";
import { ImportError } from "./errors";
import { exportConversation } from "./export";
import {
  CONVERSATION_FORMAT, FORMAT_VERSION, WORKSPACE_FORMAT, conversationSchema, workspaceSchema,
  type ExportedConversation, type ImportLimits,
} from "./formats";
import { markdownToConversation } from "./markdown";
import { parseUntrustedJson } from "./safe-json";

export type ImportFormat = "json" | "markdown" | "yjs" | "chatgpt";

export interface ImportRequest {
  body: Uint8Array;
  contentType: string;
  /** Asked for explicitly (`?format=`); otherwise told by the content type and the first bytes. */
  format?: ImportFormat | undefined;
  importer: { id: string; name: string };
}

/**
 * Reads and validates a whole file before anything is written (SPEC XFER-3): every
 * conversation it holds, in JunoKit's JSON shape, or an ImportError naming what is wrong.
 */
export function readImport(request: ImportRequest, limits: ImportLimits): ExportedConversation[] {
  const format = request.format ?? sniff(request.body, request.contentType);
  let conversations: ExportedConversation[];
  if (format === "yjs") conversations = [fromYjs(request.body, limits)];
  else {
    const text = utf8(request.body);
    if (format === "markdown") conversations = [validate(conversationSchema(limits), markdownToConversation(text), "")];
    else conversations = fromJson(parseUntrustedJson(text), limits, request.importer, format === "chatgpt");
  }
  if (conversations.length === 0) throw new ImportError(400, "empty", "the file holds no conversation to import");
  if (conversations.length > limits.maxConversations) throw new ImportError(413, "too_large", `at most ${limits.maxConversations} conversations per import`);
  const total = conversations.reduce((n, c) => n + c.messages.length, 0);
  if (total > limits.maxMessages) throw new ImportError(413, "too_large", `at most ${limits.maxMessages} messages per import; this file has ${total}`);
  return conversations;
}

function sniff(body: Uint8Array, contentType: string): ImportFormat {
  const type = contentType.toLowerCase();
  if (type.includes("octet-stream") || type.includes("yjs")) return "yjs";
  if (type.includes("markdown")) return "markdown";
  if (type.includes("json")) return "json";
  const first = body.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf);
  if (first === 0x7b /* { */ || first === 0x5b /* [ */) return "json";
  if (first === 0x2d /* - */) return "markdown";
  throw new ImportError(415, "unknown_format", "send a JunoKit export (JSON, Markdown or Yjs) or ChatGPT's conversations.json, with its content type or ?format=");
}

function utf8(body: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(body);
  } catch {
    throw new ImportError(400, "invalid_encoding", "the file is not UTF-8 text (a Yjs file must be sent as application/octet-stream)");
  }
}

function fromJson(value: unknown, limits: ImportLimits, importer: ImportRequest["importer"], chatGpt: boolean): ExportedConversation[] {
  if (chatGpt || looksLikeChatGpt(value)) {
    return fromChatGpt(value, limits, importer).map((c, i) => validate(conversationSchema(limits), c, `conversation ${i + 1}: `));
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ImportError(400, "unknown_format", "expected a JunoKit export object or ChatGPT's conversations.json (a list with `mapping`)");
  }
  const { format, version } = value as { format?: unknown; version?: unknown };
  if (format !== CONVERSATION_FORMAT && format !== WORKSPACE_FORMAT) {
    throw new ImportError(400, "unknown_format", `unknown format ${JSON.stringify(format ?? null)}; expected ${CONVERSATION_FORMAT} or ${WORKSPACE_FORMAT}`);
  }
  if (version !== FORMAT_VERSION) {
    throw new ImportError(400, "unsupported_version", `${format} version ${JSON.stringify(version ?? null)} is not supported; this server reads version ${FORMAT_VERSION}`);
  }
  if (format === CONVERSATION_FORMAT) return [validate(conversationSchema(limits), value, "")];
  return validate(workspaceSchema(limits), value, "").conversations as ExportedConversation[];
}

function fromYjs(body: Uint8Array, limits: ImportLimits): ExportedConversation {
  if (body.length > limits.maxYjsBytes) throw new ImportError(413, "too_large", `a Yjs file may be at most ${limits.maxYjsBytes} bytes`);
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, body);
  } catch {
    throw new ImportError(400, "invalid_yjs", "the file is not a readable Yjs update (corrupted or cut short?)");
  }
  // Structs still waiting for missing parts mean the update was cut short.
  if (doc.store.pendingStructs !== null || doc.store.pendingDs !== null) {
    throw new ImportError(400, "invalid_yjs", "the Yjs update is incomplete (cut short?)");
  }
  const exported = exportConversation(doc, { workspaceId: "", conversationId: "" });
  doc.destroy();
  if (exported.messages.length === 0 && !exported.meta.title && !exported.notes.content?.length) {
    throw new ImportError(400, "invalid_yjs", "the Yjs update holds no conversation");
  }
  return validate(conversationSchema(limits), exported, "");
}

function validate<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = result.error.issues.slice(0, 5).map((i) => `${where}${i.path.join(".") || "file"}: ${i.message}`);
  throw new ImportError(400, "invalid_file", problems.join("; "));
}
