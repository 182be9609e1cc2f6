import { notesJsonText, readMessages, readNotesJson, type NoteEditKind, type Persona } from "@junokit/doc-model";
import type * as Y from "yjs";
import type { ChatTurn } from "../ai";

/** What a note edit's prompt is built from. */
export interface NotePromptInput {
  kind: NoteEditKind;
  instruction: string;
  persona: Persona;
  /** The selected text (selection kinds) or the text before the caret (continue). */
  selected: string;
  /** Characters of context (notes or conversation) the prompt may carry. */
  budgetChars: number;
}

const MAX_INSTRUCTION_CHARS = 1000;

const TASK: Record<NoteEditKind, string> = {
  rewrite: "Rewrite the selected text so it reads better; keep its meaning and language.",
  shorten: "Shorten the selected text; keep what matters and its language.",
  expand: "Expand the selected text with useful detail; keep its language and tone.",
  "fix-grammar": "Fix spelling, grammar and punctuation in the selected text; change nothing else.",
  translate: "Translate the selected text.",
  continue: "Continue the notes from where the text before the caret ends, in the same language and style.",
  "notes-from-chat": "Turn this conversation into concise notes: a short heading, then the decisions, facts and open questions as bullet points.",
  "action-items": "Extract the action items from this conversation as a Markdown task list, one `- [ ] ` line per item, with the owner's name when known.",
};

/**
 * The prompt of one note edit (SPEC NOTE-3): the persona, the rules for writing into shared
 * notes, then the task, the context (notes, or the conversation for chat kinds) and, last,
 * the text it works on.
 */
export function planNotePrompt(doc: Y.Doc, input: NotePromptInput): ChatTurn[] {
  const system = [
    input.persona.systemPrompt,
    `You are ${input.persona.name}, editing a team's shared notes together with the people in it. ` +
      "Reply with only the text to put into the notes: no preamble, no explanation, no quotes around it. " +
      "Use Markdown block syntax (headings, lists, `- [ ]` tasks, fenced code) only where structure helps.",
  ].join("\n\n");
  // A person's words are capped: they ride along every time, the context is what matters.
  const instruction = input.instruction.trim().slice(0, MAX_INSTRUCTION_CHARS);
  const task = [TASK[input.kind], instruction ? `The person asks: ${instruction}` : ""].filter(Boolean).join(" ");
  const chat = input.kind === "notes-from-chat" || input.kind === "action-items";
  const context = chat ? transcript(doc, input.budgetChars) : tail(notesJsonText(readNotesJson(doc)).trim(), input.budgetChars);
  const parts = [task];
  if (context) parts.push(`${chat ? "The conversation" : "The notes, for context"}:\n${context}`);
  if (!chat) parts.push(`${input.kind === "continue" ? "Text before the caret" : "Selected text"}:\n${input.selected}`);
  return [
    { role: "system", content: system },
    { role: "user", content: parts.join("\n\n") },
  ];
}

/** Who said what, newest kept when it is too long. */
function transcript(doc: Y.Doc, budgetChars: number): string {
  const lines = readMessages(doc)
    .filter((m) => m.text.trim() && m.status !== "error")
    .map((m) => `[${m.authorName || (m.role === "assistant" ? "AI" : "someone")}] ${m.text.trim()}`);
  return tail(lines.join("\n"), budgetChars);
}

function tail(text: string, maxChars: number): string {
  return text.length <= maxChars ? text : `[…] ${text.slice(text.length - maxChars)}`;
}
