import type { Document, Hocuspocus } from "@hocuspocus/server";
import {
  resolvePersona, enforceNoteEditRequester, noteEditList, observeNoteEdits, readMeta, readNoteEdit,
  removeRunText, setNoteEditStatus, type NoteEditMap, type Persona,
} from "@junokit/doc-model";
import { builtInPersonasOnly, ReplyEnd, type AiProvider, type Deadlines, type PersonaFinder, type PromptLimits } from "../ai";
import { attachToConversations, personOf, SERVER_ORIGIN } from "../collab";
import type { Logger } from "../log";
import type { ClaimStore } from "../storage";
import { INTERRUPTED_NOTE_EDIT, NoteRun, type NoteRunDeps, type NoteRunReport } from "./note-run";

export interface NotesAiOptions {
  /** The same provider instance the chat AI peer uses. */
  provider: AiProvider;
  /** Each request is claimed here once before it runs (also across instances). */
  claims: ClaimStore;
  limits: PromptLimits;
  logger: Logger;
  deadlines: Deadlines;
  /** Input tokens a prompt may use; the notes AI counts about 3 characters a token. */
  contextTokens: number;
  /** At most one document update per this many ms while a run streams (default 33). */
  writeIntervalMs?: number;
  instanceId: string;
  /** Other instances share the documents: runs left streaming are theirs to end, not ours. */
  clustered?: boolean;
  onRun?: (report: NoteRunReport) => void;
  /** Looks up a workspace's custom personas (SPEC AI-19); default: built-ins only. */
  findPersona?: PersonaFinder;
}

/**
 * The notes AI (SPEC NOTE-*): a Hocuspocus extension that watches every loaded conversation
 * for note edit requests and runs each once, in parallel, holding the document open meanwhile.
 */
export function createNotesAi(options: NotesAiOptions) {
  const logger = options.logger.child({ component: "notes-ai" });
  const deps: NoteRunDeps = {
    provider: options.provider,
    deadlines: options.deadlines,
    writeIntervalMs: options.writeIntervalMs ?? 33,
    contextChars: options.contextTokens * 3,
    logger,
  };
  let closing = false;
  const shared = { options, deps, logger, isClosing: () => closing };

  const { extension, attached: documents } = attachToConversations("the notes AI", logger, ({ document, documentName, workspaceId, instance }) =>
    new NotesOfConversation(document, documentName, workspaceId, instance, shared));

  return {
    extension,
    /** Ends runs in flight (their text removed, marked interrupted) before the documents close. */
    async close(): Promise<void> {
      closing = true;
      await Promise.all([...documents.values()].map((notes) => notes.shutdown()));
    },
  };
}

export type NotesAi = ReturnType<typeof createNotesAi>;

interface Shared {
  options: NotesAiOptions;
  deps: NoteRunDeps;
  logger: Logger;
  isClosing(): boolean;
}

/** The notes AI in one loaded conversation. */
class NotesOfConversation {
  private readonly running = new Map<string, { run: NoteRun; done: Promise<void> }>();
  private readonly unobserve: () => void;
  private detached = false;

  constructor(
    readonly doc: Document,
    private readonly name: string,
    private readonly workspaceId: string,
    private readonly instance: Hocuspocus,
    private readonly shared: Shared,
  ) {
    this.unobserve = observeNoteEdits(doc, {
      onNew: (map, origin) => this.onNew(map, origin),
      onStop: (map) => this.onStop(map),
    });
    this.recover();
  }

  detach(): void {
    this.detached = true;
    this.unobserve();
    for (const { run } of this.running.values()) run.controller.abort(new ReplyEnd("shutdown", INTERRUPTED_NOTE_EDIT));
  }

  async shutdown(): Promise<void> {
    for (const { run } of this.running.values()) run.controller.abort(new ReplyEnd("shutdown", INTERRUPTED_NOTE_EDIT));
    await Promise.all([...this.running.values()].map((r) => r.done));
  }

  private onNew(map: NoteEditMap, origin: unknown): void {
    const person = personOf(origin);
    // Only people ask; the server's own writes and other instances' relays do not.
    if (!person || this.shared.isClosing()) return;
    this.transact(() => {
      if (enforceNoteEditRequester(map, { id: person.id, name: person.displayName })) {
        this.shared.logger.warn({ doc: this.name, userId: person.id }, "corrected who asked for a note edit");
      }
    });
    if (readNoteEdit(map).status === "pending") void this.start(map);
  }

  private onStop(map: NoteEditMap): void {
    const edit = readNoteEdit(map);
    const running = this.running.get(edit.id);
    if (running) running.run.controller.abort(new ReplyEnd("stop", "stopped"));
    else if (edit.status === "pending") this.transact(() => setNoteEditStatus(map, "stopped"));
  }

  /**
   * After a restart: a run left streaming by this (solo) server is ended as interrupted, its
   * text removed; requests still pending run now (their claims are unspent).
   */
  private recover(): void {
    for (const map of noteEditList(this.doc).values()) {
      const edit = readNoteEdit(map);
      if (edit.status === "streaming" && !this.shared.options.clustered) {
        this.transact(() => {
          removeRunText(this.doc, edit.id);
          setNoteEditStatus(map, "error", INTERRUPTED_NOTE_EDIT);
        });
      } else if (edit.status === "pending" && !edit.stop) void this.start(map);
    }
  }

  private async start(map: NoteEditMap): Promise<void> {
    const edit = readNoteEdit(map);
    if (this.running.has(edit.id)) return;
    const persona = await this.persona();
    // Looking the persona up took a moment: someone else may have started it meanwhile.
    if (this.running.has(edit.id) || this.detached) return;
    let settle!: () => void;
    const done = new Promise<void>((resolve) => (settle = resolve));
    const { options, deps, logger } = this.shared;
    const run = new NoteRun(this.doc, this.name, map, persona, deps);
    this.running.set(edit.id, { run, done });
    let connection: Awaited<ReturnType<Hocuspocus["openDirectConnection"]>> | null = null;
    try {
      // Exactly once (SPEC NOTE-2): the claim goes through the store, not this process's memory.
      if (!(await options.claims.claimOnce(`note:${this.name}:${edit.id}`, options.instanceId))) return;
      const refusal = await options.limits.take(edit.requestedBy, this.workspaceId).catch((err: unknown) => {
        logger.error({ err }, "rate limit check failed; letting the note edit through");
        return null;
      });
      if (this.detached || readNoteEdit(map).status !== "pending") return;
      if (refusal) {
        this.transact(() => setNoteEditStatus(map, "error", refusal));
        return;
      }
      // Hold the document open while writing, so every update lands in the live, persisted copy.
      connection = await this.instance.openDirectConnection(this.name, { server: true });
      if (connection.document !== this.doc || this.detached) return;
      const report = await run.run();
      logger.info({ doc: this.name, ...report }, "note edit finished");
      options.onRun?.(report);
    } catch (err) {
      logger.error({ err, doc: this.name, id: edit.id }, "the notes AI failed on a request");
    } finally {
      this.running.delete(edit.id);
      await connection?.disconnect().catch(() => undefined);
      settle();
    }
  }

  /** The conversation's persona: a built-in or its workspace's own, else the default (SPEC AI-19). */
  private async persona(): Promise<Persona> {
    const id = readMeta(this.doc).persona;
    const find = this.shared.options.findPersona ?? builtInPersonasOnly;
    const found = await find(this.workspaceId, id).catch((err: unknown) => {
      this.shared.logger.error({ err, doc: this.name, persona: id }, "could not look the persona up; using the default");
      return undefined;
    });
    return found ?? resolvePersona(id);
  }

  private transact(fn: () => void): void {
    if (!this.detached) this.doc.transact(fn, SERVER_ORIGIN);
  }
}
