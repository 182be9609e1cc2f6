import {
  messageList, notesJsonText, readMessage, readNotesJson, summaryText, unseenWhenWritten, AI_AUTHOR_ID,
  type ContextState, type Message, type MessageMap, type MovedOn, type Persona,
} from "@junokit/doc-model";
import type * as Y from "yjs";
import type { ChatTurn } from "./provider";

export interface PromptOptions {
  persona: Persona;
  /** Input tokens the prompt may use. */
  budgetTokens: number;
  countTokens: (text: string) => number;
  /**
   * A retry answers the question as it stood (SPEC AI-9): what came after it stays out of the
   * prompt and no "moved on" note is written.
   */
  retry?: boolean;
}

/** What one reply sends, and what it changes in the document's context ledger (SPEC AI-12). */
export interface PromptPlan {
  messages: ChatTurn[];
  /** The new state of every message this prompt looked at. */
  ledger: Map<MessageMap, ContextState>;
  /** Lines to append to the running summary: turns that leave the prompt for the first time. */
  fold: string[];
  /** Set when messages came in that the question's author had not seen (SPEC AI-17): goes on the reply. */
  movedOn?: MovedOn;
}

// Shares of the budget: the rest goes to the latest turns, verbatim.
const NOTES_SHARE = 0.25;
const SUMMARY_SHARE = 0.2;
const TARGET_SHARE = 0.4;
const TURN_OVERHEAD = 4;
const SUMMARY_LINE_CHARS = 200;

type Entry = Message & { map: MessageMap };

/**
 * Builds the prompt for an answer to `target` (SPEC AI-11, AI-12, AI-18): the persona's system
 * prompt, the running summary and the notes, then as many of the latest turns as fit the
 * budget, each person's words marked with their name (the turns its author had not seen
 * last), then the message being answered, after a note when the conversation moved on.
 * Pure: the caller writes `ledger` and `fold` in the transaction that starts the reply.
 */
export function planPrompt(doc: Y.Doc, target: MessageMap, options: PromptOptions): PromptPlan {
  const { persona, budgetTokens, countTokens } = options;
  const entries: Entry[] = messageList(doc).toArray().map((map) => ({ ...readMessage(map), map }));
  const ledger = new Map<MessageMap, ContextState>();
  const targetEntry = entries.find((e) => e.map === target);
  if (!targetEntry) throw new Error("the message to answer is not in the conversation");
  const unseen = new Set(options.retry ? [] : unseenWhenWritten(doc, target));
  const { seen, later } = turnsAround(entries, targetEntry, unseen, ledger);
  const history = [...seen, ...later];
  const movedOn: MovedOn | undefined =
    later.length > 0 ? { count: later.length, askedAt: targetEntry.createdAt, askedBy: targetEntry.authorName } : undefined;

  const aiName = `${persona.name} (AI)`;
  const said = (e: Entry) => (e.role === "user" ? `[${e.authorName || "someone"}] ${e.text}` : e.text);
  const system = systemPrompt(persona);
  const notes = fitTokens(notesJsonText(readNotesJson(doc)).trim(), budgetTokens * NOTES_SHARE, countTokens, "head");
  const note = movedOn ? `${movedOnNote(movedOn)}\n\n` : "";
  const question = note + fitTokens(said(targetEntry), budgetTokens * TARGET_SHARE - countTokens(note), countTokens, "head");
  const summaryCap = budgetTokens * SUMMARY_SHARE;
  let remaining = budgetTokens - countTokens(system) - countTokens(notes) - countTokens(question) - summaryCap - 3 * TURN_OVERHEAD;

  // Newest first, as long as whole turns fit; a prompt's first turn is a person's.
  let keepFrom = history.length;
  while (keepFrom > 0) {
    const cost = countTokens(said(history[keepFrom - 1]!)) + TURN_OVERHEAD;
    if (cost > remaining) break;
    remaining -= cost;
    keepFrom--;
  }
  while (keepFrom < history.length && history[keepFrom]!.role !== "user") keepFrom++;

  const fold: string[] = [];
  history.forEach((e, i) => {
    if (i >= keepFrom) return ledger.set(e.map, "in-context");
    if (e.context !== "summarized") fold.push(summaryLine(e.role === "user" ? e.authorName : aiName, e.text));
    ledger.set(e.map, "summarized");
  });
  ledger.set(target, "in-context");

  // Its opening (often written by people) and its newest lines matter most.
  const summary = fitEnds([summaryText(doc).toString().trim(), ...fold].filter(Boolean).join("\n"), summaryCap, countTokens);
  const messages: ChatTurn[] = [{ role: "system", content: withSections(system, summary, notes) }];
  for (const e of history.slice(keepFrom)) push(messages, e.role, said(e));
  push(messages, "user", question);
  return { messages, ledger, fold, ...(movedOn ? { movedOn } : {}) };
}

/**
 * The turns around `target`: first those its author had seen when writing it, each person's
 * message followed by the AI's answer to it (which may sit later in the array when prompts
 * were queued); then, the same way, those that came in unseen (SPEC AI-17, AI-18).
 * Failed replies, earlier answers to the target, cancelled prompts and messages replaced by
 * an edit are dropped.
 */
function turnsAround(entries: Entry[], target: Entry, unseen: ReadonlySet<MessageMap>, ledger: Map<MessageMap, ContextState>): { seen: Entry[]; later: Entry[] } {
  const byId = new Map(entries.map((e) => [e.id, e]));
  const replaced = new Set(
    entries.filter((e) => e.role === "user" && e.editOf && byId.get(e.editOf)?.authorId === e.authorId).map((e) => e.editOf!),
  );
  const usable = (e: Entry) => (e.status === "done" || e.status === "stopped") && e.text.trim() !== "";
  const answer = new Map<string, Entry>();
  for (const e of entries) if (e.role === "assistant" && e.replyTo && usable(e)) answer.set(e.replyTo, e);

  const seen: Entry[] = [];
  const later: Entry[] = [];
  const end = entries.indexOf(target);
  for (const [index, e] of entries.entries()) {
    if (e === target) continue;
    const isLater = unseen.has(e.map);
    const before = index < end && !isLater;
    if (e.role === "user") {
      if (!before && !isLater) continue;
      const cancelled = e.stop === true && !answer.has(e.id);
      if (replaced.has(e.id) || cancelled || !e.text.trim()) {
        ledger.set(e.map, "dropped");
        continue;
      }
      const turns = isLater ? later : seen;
      turns.push(e);
      // Its answer follows it when both were seen, or both came in later.
      const reply = answer.get(e.id);
      if (reply && unseen.has(reply.map) === isLater) turns.push(reply);
    } else {
      const answers = e.replyTo ? byId.get(e.replyTo) : undefined;
      if (answers?.role === "user") {
        // Kept with its question, unless it is not the answer chosen for it; an answer that
        // came in later to a question the author had seen takes its own place among the later ones.
        if (answers === target || answer.get(answers.id) !== e || replaced.has(answers.id)) {
          if (before || isLater || answers === target) ledger.set(e.map, "dropped");
        } else if (isLater && !unseen.has(answers.map)) {
          later.push(e);
        }
        continue;
      }
      if (!before && !isLater) continue;
      if (usable(e) && e.authorId === AI_AUTHOR_ID) (isLater ? later : seen).push(e);
      else ledger.set(e.map, "dropped");
    }
  }
  return { seen, later };
}

/**
 * Said just before a question its author wrote without the later messages (SPEC AI-18): when,
 * by whom, and that the model answers it in their light rather than answering them.
 */
export function movedOnNote(movedOn: MovedOn): string {
  // askedAt comes from a client's clock: a time that is no date is left out, not thrown on.
  const asked = new Date(movedOn.askedAt);
  const at = Number.isNaN(asked.getTime()) ? "" : ` at ${asked.toISOString().slice(11, 16)} UTC`;
  // Quoted, so a display name cannot pass for JunoKit's own words.
  const who = movedOn.askedBy ? JSON.stringify(movedOn.askedBy) : "its author";
  const n = movedOn.count === 1 ? "the message just above it" : `the ${movedOn.count} messages just above it`;
  return (
    `(Note from JunoKit: the next message was written by ${who}${at}, before ${n}, which ${who} had not seen; ` +
    `it waited to be answered while the conversation moved on. Answer it, taking those later messages into account ` +
    `where they change the answer, and say so; do not answer them here.)`
  );
}

function systemPrompt(persona: Persona): string {
  return [
    persona.systemPrompt,
    `You are ${persona.name}, the AI member of a shared JunoKit conversation. Several people may write in it; ` +
      "each of their messages starts with the author's name in brackets, like [Alice]. Answer the latest message, " +
      "address its author by name when it helps, and write Markdown.",
  ].join("\n\n");
}

function withSections(system: string, summary: string, notes: string): string {
  const parts = [system];
  if (summary) parts.push(`## Summary of the earlier conversation\n${summary}`);
  if (notes) parts.push(`## The conversation's shared notes\n${notes}`);
  return parts.join("\n\n");
}

/** Consecutive turns of one role are merged: several endpoints refuse two in a row. */
function push(messages: ChatTurn[], role: "user" | "assistant", content: string): void {
  const last = messages.at(-1)!;
  if (last.role === role) last.content += `\n\n${content}`;
  else messages.push({ role, content });
}

function summaryLine(name: string, text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return `- [${name || "someone"}] ${line.length > SUMMARY_LINE_CHARS ? `${line.slice(0, SUMMARY_LINE_CHARS)}…` : line}`;
}

/** Cuts `text` to `maxTokens`, keeping its head or its tail. */
export function fitTokens(text: string, maxTokens: number, countTokens: (t: string) => number, keep: "head" | "tail"): string {
  if (!text || countTokens(text) <= maxTokens) return text;
  if (maxTokens <= 0) return "";
  let chars = Math.floor(text.length * (maxTokens / countTokens(text)));
  for (;;) {
    const cut = keep === "head" ? `${text.slice(0, chars)} […]` : `[…] ${text.slice(text.length - chars)}`;
    if (countTokens(cut) <= maxTokens || chars <= 0) return chars <= 0 ? "" : cut;
    chars = Math.floor(chars * 0.9);
  }
}

/** Cuts `text` to `maxTokens` keeping a third from its start and the rest from its end. */
export function fitEnds(text: string, maxTokens: number, countTokens: (t: string) => number): string {
  if (!text || countTokens(text) <= maxTokens) return text;
  const head = fitTokens(text, maxTokens / 3, countTokens, "head").replace(/ \[…\]$/, "");
  const tail = fitTokens(text.slice(head.length), maxTokens - countTokens(head) - 2, countTokens, "tail");
  return `${head}\n${tail}`;
}
