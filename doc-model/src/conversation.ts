// The conversation document (DESIGN.md §4): the only module that knows its Yjs keys.
// Server, AI peer, app and tests read and write conversations through these functions.
import * as Y from "yjs";
import { KEY } from "./keys";

export type AiMode = "auto" | "mention" | "off";
export type MessageRole = "user" | "assistant";
export type MessageStatus = "done" | "streaming" | "stopped" | "error";

export const AI_AUTHOR_ID = "ai";
export const AI_MODES: readonly AiMode[] = ["auto", "mention", "off"];
export const MESSAGE_STATUSES: readonly MessageStatus[] = ["done", "streaming", "stopped", "error"];

export interface ConversationMeta {
  title: string;
  persona: string;
  ai: AiMode;
  createdAt: number;
  createdBy: string;
}

export interface Message {
  id: string;
  role: MessageRole;
  authorId: string;
  authorName: string;
  createdAt: number;
  text: string;
  status: MessageStatus;
  replyTo?: string;
  model?: string;
  reasoning?: string;
  error?: string;
  stop?: boolean;
  /** Assistant only: the earlier reply this one regenerates (SPEC AI-9). */
  retryOf?: string;
  /** User only: the earlier message of the same author this one replaces (SPEC AI-10). */
  editOf?: string;
  /** User only: the AI has accepted this prompt and will answer it (SPEC AI-7). */
  pending?: boolean;
  /** Assistant only: someone asked for another answer to the same message (SPEC AI-9). */
  regenerate?: boolean;
  /** Where the message stood in the AI's latest prompt (SPEC AI-12). */
  context?: ContextState;
  /** Assistant only: the message it answers was written before others its author had not seen (SPEC AI-17). */
  movedOn?: MovedOn;
}

/**
 * On a reply: how the conversation moved on between the answered message being written and
 * the AI starting to answer it. Stored as one small JSON value, set once with the reply.
 */
export interface MovedOn {
  /** Messages its author had not seen when writing it (people's and the AI's), SPEC AI-17. */
  count: number;
  /** The answered message's `createdAt` and author name, so the note reads on its own. */
  askedAt: number;
  askedBy: string;
}

/** In the AI's prompt verbatim, folded into the running summary, or left out. */
export type ContextState = "in-context" | "summarized" | "dropped";
export const CONTEXT_STATES: readonly ContextState[] = ["in-context", "summarized", "dropped"];

export type NewMessage = Omit<Message, "text" | "status" | "reasoning" | "stop" | "pending" | "regenerate" | "context" | "movedOn"> & {
  text?: string;
  status?: MessageStatus;
};

/** A message as stored: a Y.Map whose values are strings, numbers, booleans or Y.Text (and `movedOn`, a small JSON object). */
export type MessageMap = Y.Map<unknown>;



export function metaMap(doc: Y.Doc): Y.Map<unknown> {
  return doc.getMap(KEY.meta);
}

export function messageList(doc: Y.Doc): Y.Array<MessageMap> {
  return doc.getArray<MessageMap>(KEY.messages);
}

export function notesFragment(doc: Y.Doc): Y.XmlFragment {
  return doc.getXmlFragment(KEY.notes);
}

/** The Tiptap Collaboration extension's `field` for the notes. */
export const NOTES_FIELD = KEY.notes;

export function readMeta(doc: Y.Doc): ConversationMeta {
  const m = metaMap(doc);
  const ai = m.get(KEY.ai);
  return {
    title: str(m.get(KEY.title)),
    persona: str(m.get(KEY.persona)) || "dev",
    ai: AI_MODES.includes(ai as AiMode) ? (ai as AiMode) : "auto",
    createdAt: num(m.get(KEY.createdAt)),
    createdBy: str(m.get(KEY.createdBy)),
  };
}

export function writeMeta(doc: Y.Doc, patch: Partial<ConversationMeta>): void {
  const m = metaMap(doc);
  doc.transact(() => {
    for (const [k, v] of Object.entries(patch)) if (v !== undefined) m.set(k, v);
  });
}

export function appendMessage(doc: Y.Doc, message: NewMessage): MessageMap {
  const map = new Y.Map<unknown>();
  map.set(KEY.id, message.id);
  map.set(KEY.role, message.role);
  map.set(KEY.authorId, message.authorId);
  map.set(KEY.authorName, message.authorName);
  map.set(KEY.createdAt, message.createdAt);
  map.set(KEY.text, new Y.Text(message.text ?? ""));
  map.set(KEY.status, message.status ?? "done");
  if (message.replyTo !== undefined) map.set(KEY.replyTo, message.replyTo);
  if (message.model !== undefined) map.set(KEY.model, message.model);
  if (message.error !== undefined) map.set(KEY.error, message.error);
  if (message.retryOf !== undefined) map.set(KEY.retryOf, message.retryOf);
  if (message.editOf !== undefined) map.set(KEY.editOf, message.editOf);
  doc.transact(() => messageList(doc).push([map]));
  return map;
}

export function readMessage(map: MessageMap): Message {
  const message: Message = {
    id: str(map.get(KEY.id)),
    role: map.get(KEY.role) === "assistant" ? "assistant" : "user",
    authorId: str(map.get(KEY.authorId)),
    authorName: str(map.get(KEY.authorName)),
    createdAt: num(map.get(KEY.createdAt)),
    text: textOf(map.get(KEY.text)),
    status: readStatus(map),
  };
  const optional = {
    replyTo: map.get(KEY.replyTo),
    model: map.get(KEY.model),
    error: map.get(KEY.error),
    retryOf: map.get(KEY.retryOf),
    editOf: map.get(KEY.editOf),
  };
  for (const [k, v] of Object.entries(optional)) if (typeof v === "string") (message as unknown as Record<string, unknown>)[k] = v;
  const reasoning = map.get(KEY.reasoning);
  if (reasoning instanceof Y.Text) message.reasoning = reasoning.toString();
  if (map.get(KEY.stop) === true) message.stop = true;
  if (map.get(KEY.pending) === true) message.pending = true;
  if (map.get(KEY.regenerate) === true) message.regenerate = true;
  const context = map.get(KEY.context);
  if (CONTEXT_STATES.includes(context as ContextState)) message.context = context as ContextState;
  const movedOn = readMovedOn(map.get(KEY.movedOn));
  if (movedOn) message.movedOn = movedOn;
  return message;
}

export function readMessages(doc: Y.Doc): Message[] {
  return messageList(doc).toArray().map(readMessage);
}

export function findMessage(doc: Y.Doc, id: string): MessageMap | undefined {
  return messageList(doc).toArray().find((m) => m.get(KEY.id) === id);
}

export function messageId(map: MessageMap): string {
  return str(map.get(KEY.id));
}

export function messageAuthorId(map: MessageMap): string {
  return str(map.get(KEY.authorId));
}

export function readStatus(map: MessageMap): MessageStatus {
  const s = map.get(KEY.status);
  return MESSAGE_STATUSES.includes(s as MessageStatus) ? (s as MessageStatus) : "done";
}

/** The live Y.Text of a message's Markdown source (created if a peer left it out). */
export function messageText(map: MessageMap): Y.Text {
  return ensureText(map, KEY.text);
}

export function messageReasoning(map: MessageMap): Y.Text {
  return ensureText(map, KEY.reasoning);
}

export function setStatus(map: MessageMap, status: MessageStatus, error?: string): void {
  map.set(KEY.status, status);
  if (error !== undefined) map.set(KEY.error, error);
}

/** Any editor may ask a streaming reply to stop; the AI peer watches this flag. */
export function requestStop(map: MessageMap): void {
  map.set(KEY.stop, true);
}

export function isStopRequested(map: MessageMap): boolean {
  return map.get(KEY.stop) === true;
}

/**
 * Rewrites a message's author fields; the server uses it so nobody can post as someone else.
 * Returns true when something had to change.
 */
export function enforceAuthor(map: MessageMap, author: { id: string; name: string; role: MessageRole }): boolean {
  const wrong =
    map.get(KEY.authorId) !== author.id ||
    map.get(KEY.authorName) !== author.name ||
    map.get(KEY.role) !== author.role;
  if (!wrong) return false;
  map.set(KEY.authorId, author.id);
  map.set(KEY.authorName, author.name);
  map.set(KEY.role, author.role);
  return true;
}

/** A stored `movedOn` value, read defensively (any peer may have written anything there). */
export function readMovedOn(value: unknown): MovedOn | undefined {
  if (!value || typeof value !== "object") return undefined;
  const { count, askedAt, askedBy } = value as Record<string, unknown>;
  if (typeof count !== "number" || !Number.isInteger(count) || count < 1) return undefined;
  return { count, askedAt: num(askedAt), askedBy: str(askedBy) };
}

function ensureText(map: MessageMap, key: string): Y.Text {
  const t = map.get(key);
  if (t instanceof Y.Text) return t;
  const fresh = new Y.Text(typeof t === "string" ? t : "");
  map.set(key, fresh);
  return fresh;
}

function textOf(v: unknown): string {
  if (v instanceof Y.Text) return v.toString();
  return typeof v === "string" ? v : "";
}

function str(v: unknown): string {
  return typeof v === "string" ? v : "";
}

function num(v: unknown): number {
  return typeof v === "number" && Number.isFinite(v) ? v : 0;
}

const AUTHOR_KEYS: readonly string[] = [KEY.authorId, KEY.authorName, KEY.role];

/**
 * Calls `onNew` for every message added to the conversation and `onAuthorEdit` for every
 * later change of an existing message's author fields, with the transaction's origin, so
 * the server can hold each edit to the identity of whoever made it.
 */
export function observeAuthorship(
  doc: Y.Doc,
  handlers: {
    onNew(map: MessageMap, origin: unknown): void;
    onAuthorEdit(map: MessageMap, previous: Partial<Record<"authorId" | "authorName" | "role", unknown>>, origin: unknown): void;
  },
): () => void {
  const list = messageList(doc);
  const observer = (events: Y.YEvent<Y.AbstractType<unknown>>[], txn: Y.Transaction) => {
    for (const event of events) {
      if (event.target === list) {
        for (const item of event.changes.added) {
          for (const content of item.content.getContent()) if (content instanceof Y.Map) handlers.onNew(content, txn.origin);
        }
      } else if (event.target instanceof Y.Map && event.target.parent === list) {
        const previous: Record<string, unknown> = {};
        for (const [key, change] of event.changes.keys) if (AUTHOR_KEYS.includes(key)) previous[key] = change.oldValue;
        if (Object.keys(previous).length > 0) handlers.onAuthorEdit(event.target, previous, txn.origin);
      }
    }
  };
  list.observeDeep(observer);
  return () => list.unobserveDeep(observer);
}

/** Restores author fields changed by someone who may not change them. */
export function restoreAuthor(map: MessageMap, previous: Partial<Record<"authorId" | "authorName" | "role", unknown>>): void {
  for (const [key, value] of Object.entries(previous)) {
    if (value === undefined) map.delete(key);
    else map.set(key, value);
  }
}
