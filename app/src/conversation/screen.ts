// A conversation's first screen, kept on the device beside its cached document: the newest
// messages as plain data. Loading a cached document of 10,000 messages takes the browser a
// good fraction of a second (Yjs has to rebuild every message); this paints at once and
// gives way to the live document as soon as it is loaded.
import { messageList, parseDocName, readMessage, readMeta, type ConversationMeta, type Message } from "@junokit/doc-model";
import type * as Y from "yjs";
import { RENDERER, rememberRendered, renderMarkdown } from "../markdown";
import type { ConversationSnapshot } from "./useConversation";
import { FIRST_PAGE } from "./window";

/** As many as the message list shows at first, so the screen fills it. */
export const SCREEN_MESSAGES = FIRST_PAGE;
const MAX_TEXT = 1000;
/** Rendered HTML kept with a screen, in characters (the whole screen must stay small). */
const MAX_HTML = 24_000;

export interface ConversationScreen {
  v: 1;
  meta: ConversationMeta;
  count: number;
  messages: Message[];
  /**
   * Each message's text as this build rendered it (Markdown → sanitised HTML), as far as it
   * fits: parsing and sanitising two dozen messages is a good part of the first paint.
   */
  html?: { renderer: string; texts: string[] };
}

export function conversationScreen(name: string, doc: Y.Doc): ConversationScreen | null {
  if (parseDocName(name)?.kind !== "conversation") return null;
  const list = messageList(doc);
  const count = list.length;
  const messages = list.slice(Math.max(0, count - SCREEN_MESSAGES), count).map((map) => {
    const message = readMessage(map);
    // A first screen needs the start of a long text only; the live document has the rest.
    if (message.text.length > MAX_TEXT) message.text = `${message.text.slice(0, MAX_TEXT)}…`;
    delete message.reasoning;
    return message;
  });
  return { v: 1, meta: readMeta(doc), count, messages, html: { renderer: RENDERER, texts: renderedTexts(messages) } };
}

/** The newest messages' HTML (mostly already rendered on screen), newest first to fit. */
function renderedTexts(messages: Message[]): string[] {
  const texts = new Array<string>(messages.length).fill("");
  let budget = MAX_HTML;
  for (let i = messages.length - 1; i >= 0; i--) {
    const html = renderMarkdown(messages[i]!.text);
    if (html.length > budget) break;
    budget -= html.length;
    texts[i] = html;
  }
  return texts;
}

/** The kept screen, if the value is one (anything else, e.g. from an older version, is ignored). */
export function readScreen(value: unknown): ConversationScreen | null {
  const screen = value as Partial<ConversationScreen> | null;
  if (!screen || screen.v !== 1 || !Array.isArray(screen.messages) || typeof screen.meta !== "object" || !screen.meta) return null;
  const kept = screen.html && screen.html.renderer === RENDERER && Array.isArray(screen.html.texts) ? screen.html.texts : [];
  const messages: Message[] = [];
  const texts: string[] = [];
  screen.messages.forEach((m: Partial<Message> | null, i) => {
    if (!m || typeof m.id !== "string" || typeof m.text !== "string" || typeof m.authorId !== "string" || typeof m.createdAt !== "number") return;
    messages.push(m as Message);
    texts.push(typeof kept[i] === "string" ? kept[i] : "");
  });
  const count = typeof screen.count === "number" ? screen.count : messages.length;
  return { v: 1, meta: screen.meta, count, messages, ...(kept.length ? { html: { renderer: RENDERER, texts } } : {}) };
}

/**
 * The kept screen seen as a (read-only) conversation, so the same list shows it and then the
 * live one. Its kept HTML goes to the Markdown renderer's cache, for this paint and the next.
 */
export function screenSnapshot(screen: ConversationScreen): ConversationSnapshot {
  screen.html?.texts.forEach((html, i) => {
    if (html) rememberRendered(screen.messages[i]!.text, html);
  });
  const first = Math.max(0, screen.count - screen.messages.length);
  return {
    meta: screen.meta,
    count: first + screen.messages.length,
    first,
    at: (index) => screen.messages[index - first]!,
    mapAt: () => {
      throw new Error("a kept first screen has no document");
    },
    indexOf: (id) => {
      const i = screen.messages.findIndex((m) => m.id === id);
      return i < 0 ? -1 : first + i;
    },
  };
}
