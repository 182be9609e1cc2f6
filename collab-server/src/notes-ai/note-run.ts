import type { Document } from "@hocuspocus/server";
import {
  isNoteEditStopRequested, noteEditAnchor, noteRangeText, notesFragment, NoteRunWriter, readNoteEdit, removeReplacedRange,
  removeRunText, resolveNotePoint, setNoteEditStatus, startNoteEdit, AI_AUTHOR_ID, SELECTION_KINDS,
  type NoteAnchor, type NoteEditMap, type NoteEditStatus, type Persona,
} from "@junokit/doc-model";
import * as Y from "yjs";
// The chat AI peer's deadline rules, shared so both kinds of AI writing end the same way.
import { AiFailure, askingAs, endReasonOf, ReplyEnd, withDeadlines, type AiProvider, type Deadlines } from "../ai";
import { SERVER_ORIGIN } from "../collab";
import type { Logger } from "../log";
import { showAiCaret } from "./ai-caret";
import { planNotePrompt } from "./prompt";

export const INTERRUPTED_NOTE_EDIT = "Interrupted: the server stopped while the AI was writing these notes; nothing of it was kept. Ask again.";
const SELECT_FIRST = "Select the text the AI should work on first.";

export interface NoteRunDeps {
  provider: AiProvider;
  deadlines: Deadlines;
  writeIntervalMs: number;
  /** Characters of notes or conversation a prompt may carry. */
  contextChars: number;
  logger: Logger;
}

export interface NoteRunReport {
  docName: string;
  id: string;
  status: NoteEditStatus;
  error?: string;
  kind?: string;
  writes: number;
  chars: number;
  ms: number;
}

/**
 * One note edit from the claimed request to its end (SPEC NOTE-3..8): the text streams in
 * with at most one document update per `writeIntervalMs`, the AI's caret follows it, a
 * replaced selection goes only when the replacement is complete, and a stop, failure or
 * shutdown leaves the notes as they were (a stopped insertion keeps what it wrote).
 */
export class NoteRun {
  readonly controller = new AbortController();
  private writes = 0;

  constructor(
    private readonly doc: Document,
    private readonly docName: string,
    private readonly map: NoteEditMap,
    private readonly persona: Persona,
    private readonly deps: NoteRunDeps,
  ) {}

  async run(): Promise<NoteRunReport> {
    const started = performance.now();
    const edit = readNoteEdit(this.map);
    const anchor = noteEditAnchor(this.map);
    const replaces = SELECTION_KINDS.includes(edit.kind);
    const selected = this.selectedText(edit.kind, anchor);
    const report = (status: NoteEditStatus, extra: Partial<NoteRunReport> = {}): NoteRunReport => ({
      docName: this.docName, id: edit.id, status, writes: this.writes, chars: writer?.chars ?? 0, ms: Math.round(performance.now() - started), ...extra,
    });
    let writer: NoteRunWriter | undefined;
    if (replaces && !selected.trim()) {
      this.transact(() => setNoteEditStatus(this.map, "error", SELECT_FIRST));
      return report("error", { error: SELECT_FIRST, kind: "no-selection" });
    }
    const messages = planNotePrompt(this.doc, { kind: edit.kind, instruction: edit.instruction, persona: this.persona, selected, budgetChars: this.deps.contextChars });
    const runInfo = { runId: edit.id, persona: this.persona.id, requestedBy: edit.requestedBy };
    const asking = askingAs(this.deps.provider, this.persona);
    this.transact(() => {
      startNoteEdit(this.map, { persona: this.persona.id, model: asking.model });
      writer = new NoteRunWriter(this.doc, runInfo, anchor, { inline: replaces || edit.kind === "continue" });
    });
    const caret = showAiCaret(this.doc, { id: AI_AUTHOR_ID, name: this.persona.name, color: this.persona.color, kind: "ai" }, { id: edit.id, requestedByName: edit.requestedByName });
    const moveCaret = () => caret.move(replaces && anchor ? anchor.from : writer!.caret(), writer!.caret());
    moveCaret();

    let buffered = "";
    let lastWrite = -Infinity;
    let timer: NodeJS.Timeout | undefined;
    const flush = () => {
      clearTimeout(timer);
      timer = undefined;
      if (!buffered || this.controller.signal.aborted) return;
      const text = buffered;
      buffered = "";
      this.transact(() => writer!.write(text));
      this.writes++;
      lastWrite = performance.now();
      moveCaret();
    };
    let failure: { message: string; kind: string } | undefined;
    try {
      if (isNoteEditStopRequested(this.map)) this.controller.abort(new ReplyEnd("stop", "stopped"));
      const source = this.deps.provider.stream({ ...asking.request, messages, signal: this.controller.signal });
      for await (const delta of withDeadlines(source, this.controller, this.deps.deadlines)) {
        // Line ends are "\n" in the notes; some endpoints send "\r\n".
        buffered += (delta.content ?? "").replace(/\r/g, "");
        if (timer) continue;
        const wait = lastWrite + this.deps.writeIntervalMs - performance.now();
        if (wait <= 0) flush();
        else timer = setTimeout(flush, wait);
      }
    } catch (err) {
      if (!endReasonOf(this.controller.signal)) {
        failure = err instanceof AiFailure
          ? { message: err.message, kind: err.kind }
          : { message: "The AI failed unexpectedly while writing the notes; the server log has the details.", kind: "unexpected" };
        if (!(err instanceof AiFailure)) this.deps.logger.error({ err, id: edit.id }, "unexpected failure while writing notes");
      }
    }
    clearTimeout(timer);
    caret.close();
    const end = endReasonOf(this.controller.signal);
    if (end && end.reason !== "stop") failure = { message: end.reason === "shutdown" ? INTERRUPTED_NOTE_EDIT : end.message, kind: end.reason };
    if (failure) {
      // Notes intact: what the run wrote goes, what it would have replaced stays.
      this.transact(() => {
        removeRunText(this.doc, edit.id);
        setNoteEditStatus(this.map, "error", failure!.message);
      });
      return report("error", { error: failure.message, kind: failure.kind });
    }
    if (end?.reason === "stop") {
      this.transact(() => {
        // A stopped replacement is dropped (the selection stays); a stopped insertion keeps its text.
        if (replaces) removeRunText(this.doc, edit.id);
        else writer!.end();
        setNoteEditStatus(this.map, "stopped");
      });
      return report("stopped", { kind: "stop" });
    }
    this.transact(() => {
      writer!.write(buffered);
      writer!.end();
      if (replaces && anchor) removeReplacedRange(this.doc, anchor, edit.id);
      setNoteEditStatus(this.map, "done");
    });
    this.writes++;
    return report("done");
  }

  /** The text a selection kind works on, or the text before the caret for `continue`. */
  private selectedText(kind: string, anchor: NoteAnchor | null): string {
    if (!anchor) return "";
    if (kind === "continue") {
      const start = Y.createRelativePositionFromTypeIndex(notesFragment(this.doc), 0);
      const before = noteRangeText(this.doc, { from: start, to: anchor.to });
      return before.length > this.deps.contextChars ? before.slice(before.length - this.deps.contextChars) : before;
    }
    const from = resolveNotePoint(this.doc, anchor.from);
    const to = resolveNotePoint(this.doc, anchor.to);
    return from && to ? noteRangeText(this.doc, anchor) : "";
  }

  private transact(fn: () => void): void {
    if (!this.doc.isDestroyed) this.doc.transact(fn, SERVER_ORIGIN);
  }
}
