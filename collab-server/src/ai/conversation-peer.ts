import type { DirectConnection, Document, Hocuspocus } from "@hocuspocus/server";
import {
  appendMessage, resolvePersona, findMessage, isStopRequested, mentionsAi, messageId, messageList, metaMap,
  observeAiRequests, readMessage, readMeta, replyLease, setContextState, setMovedOn, setPending, setReplyLease, setStatus, summaryText, clearStop,
  AI_AUTHOR_ID, AWARENESS_AI, AWARENESS_TYPING, AWARENESS_USER,
  type AiPresence, type MessageMap, type MessageStatus, type Persona, type QueueEntry,
} from "@junokit/doc-model";
import { nanoid } from "nanoid";
import type * as Y from "yjs";
import { personOf, SERVER_ORIGIN } from "../collab";
import type { Logger } from "../log";
import type { ClaimStore } from "../storage";
import { endReasonOf, ReplyEnd, withDeadlines, type Deadlines } from "./deadlines";
import type { PromptLimits } from "./limits";
import { askingAs, type PersonaFinder } from "./personas";
import { planPrompt, type PromptPlan } from "./prompt";
import { AiFailure, type AiProvider } from "./provider";
import { ReplyWriter } from "./reply-writer";

export const INTERRUPTED_ON_RESTART = "Interrupted: the server stopped while writing this reply. Use Retry to ask again.";
export const INTERRUPTED_BEFORE_START = "Interrupted: the server stopped before this reply began. Use Retry to ask again.";
export const INTERRUPTED_ON_SHUTDOWN = "Interrupted: the server shut down while writing this reply. Use Retry to ask again.";

/** How long a writing instance vouches for a streaming reply, and how often it renews that. */
export const LEASE_MS = 15_000;
const LEASE_RENEW_MS = 5_000;

/** What every conversation's peer shares within one process. */
export interface PeerDeps {
  instance: Hocuspocus;
  provider: AiProvider;
  claims: ClaimStore;
  limits: PromptLimits;
  logger: Logger;
  deadlines: Deadlines;
  contextTokens: number;
  writeIntervalMs: number;
  instanceId: string;
  countTokens: (text: string) => number;
  /** Custom personas of the conversation's workspace (SPEC AI-19). */
  findPersona: PersonaFinder;
  isClosing(): boolean;
  /**
   * True when no other instance can be writing into these documents (no cluster): a reply
   * found streaming is then cut at once; otherwise only once its lease has run out.
   */
  solo: boolean;
  /** Replies this process is writing right now, by message id (never marked interrupted). */
  activeReplies: Set<string>;
  /** Called after every finished reply (tests and the benchmark read it). */
  onReply?(report: ReplyReport): void;
}

export interface ReplyReport {
  docName: string;
  replyId: string;
  replyTo: string;
  status: MessageStatus;
  error?: string;
  /** What ended a reply that is not `done`: a failure kind, or stop/shutdown/a deadline. */
  kind?: string;
  /** From noticing the prompt to calling the provider, queue wait included (ms). */
  startMs: number;
  /** Deltas the provider streamed, and document transactions they took. */
  deltas: number;
  writes: number;
  chars: number;
  ms: number;
}

interface Job {
  kind: "reply" | "regenerate";
  /** The person's message being answered. */
  messageId: string;
  /** Regenerate: the reply someone asked to redo. */
  previousId?: string;
  requester: { id: string; name: string };
  /** Resolves null when the rate limits allow it, else the refusal to show. */
  admitted: Promise<string | null>;
  refused: boolean;
  started: boolean;
  /** performance.now() when the prompt was noticed. */
  acceptedAt: number;
}

/**
 * The AI peer of one loaded conversation (SPEC AI-*): it notices prompts, queues them,
 * answers one at a time, shows itself in awareness, and holds the document open (a direct
 * connection) while it has work, so every write lands in the live, persisted document.
 */
export class ConversationPeer {
  private readonly queue: Job[] = [];
  private current: { replyId: string; controller: AbortController } | undefined;
  private typing = false;
  private holding: Promise<DirectConnection | null> | undefined;
  private pumping: Promise<void> | undefined;
  private detached = false;
  private leaseCheck: NodeJS.Timeout | undefined;
  private publishing = false;
  /** The persona of `meta.persona` as last looked up; the id it was looked up for. */
  private persona: Persona;
  private personaId: string;
  private personaLookups = 0;
  private readonly unobserve: () => void;
  private readonly log: Logger;

  constructor(
    readonly doc: Document,
    readonly name: string,
    readonly workspaceId: string,
    private readonly deps: PeerDeps,
  ) {
    this.log = deps.logger.child({ doc: name });
    const stopRequests = observeAiRequests(doc, {
      onNew: (map, origin) => this.onNew(map, origin),
      onStop: (map, origin) => this.onStop(map, origin),
      onRegenerate: (map, origin) => this.onRegenerate(map, origin),
    });
    this.personaId = readMeta(doc).persona;
    this.persona = resolvePersona(this.personaId);
    const onMeta = () => {
      if (readMeta(doc).persona !== this.personaId) void this.refreshPersona();
    };
    metaMap(doc).observe(onMeta);
    this.unobserve = () => {
      stopRequests();
      metaMap(doc).unobserve(onMeta);
    };
    this.recover();
    // A custom persona shows up once looked up, not as the default first.
    if (this.persona.id === this.personaId) this.publishNow();
    else void this.refreshPersona();
  }

  /**
   * Looks `meta.persona` up again (it changed, or the workspace's personas did): a built-in,
   * the workspace's own, else the default (SPEC AI-19). If the store fails it keeps the current
   * persona when the id is unchanged, else falls back.
   */
  async refreshPersona(): Promise<Persona> {
    const id = readMeta(this.doc).persona;
    this.personaId = id;
    // Lookups can finish out of order (a pool of store connections): only the latest counts.
    const lookup = ++this.personaLookups;
    try {
      const found = await this.deps.findPersona(this.workspaceId, id);
      if (lookup === this.personaLookups) this.persona = found ?? resolvePersona(id);
    } catch (err) {
      // Switched to a persona the store cannot name now: answer as the fallback, not the old one.
      if (lookup === this.personaLookups && this.persona.id !== id) this.persona = resolvePersona(id);
      this.log.error({ err, persona: id }, "could not look the persona up");
    }
    this.publish();
    return this.persona;
  }

  /** The document was unloaded: forget it (nothing is running, it was held while busy). */
  detach(): void {
    this.detached = true;
    clearTimeout(this.leaseCheck);
    this.unobserve();
    this.current?.controller.abort(new ReplyEnd("shutdown", INTERRUPTED_ON_SHUTDOWN));
  }

  /** Ends the reply being written (shutdown) and resolves once the peer has let go of the document. */
  async shutdown(): Promise<void> {
    this.current?.controller.abort(new ReplyEnd("shutdown", INTERRUPTED_ON_SHUTDOWN));
    await this.pumping;
    await this.release();
  }

  // --- requests from the document -------------------------------------------------------

  private onNew(map: MessageMap, origin: unknown): void {
    const person = personOf(origin);
    // Only people prompt; the server's own writes and other instances' relays do not.
    if (!person || this.deps.isClosing()) return;
    const message = readMessage(map);
    const mode = readMeta(this.doc).ai;
    if (mode === "off" || (mode === "mention" && !mentionsAi(message.text))) return;
    this.enqueue({ kind: "reply", messageId: message.id, requester: { id: person.id, name: person.displayName } }, true);
  }

  private onStop(map: MessageMap, origin: unknown): void {
    const id = messageId(map);
    if (this.current?.replyId === id) {
      this.current.controller.abort(new ReplyEnd("stop", "stopped"));
      return;
    }
    const message = readMessage(map);
    if (message.role !== "user" || message.authorId === AI_AUTHOR_ID) return;
    const person = personOf(origin);
    if (!person) return;
    // People cancel only their own queued prompt (SPEC AI-8); anyone else's stop is taken back.
    if (person.id !== message.authorId) {
      this.transact(() => clearStop(map));
      this.log.warn({ userId: person.id, messageId: id }, "reverted a cancel of someone else's prompt");
      return;
    }
    const index = this.queue.findIndex((job) => job.kind === "reply" && job.messageId === id && !job.started);
    if (index < 0) return;
    this.queue.splice(index, 1);
    this.transact(() => setPending(map, false));
    this.log.info({ messageId: id }, "queued prompt cancelled by its author");
    this.publish();
  }

  private onRegenerate(map: MessageMap, origin: unknown): void {
    const person = personOf(origin);
    if (!person || this.deps.isClosing()) return;
    const previous = readMessage(map);
    if (previous.role !== "assistant" || !previous.replyTo) return;
    this.enqueue(
      { kind: "regenerate", messageId: previous.replyTo, previousId: previous.id, requester: { id: person.id, name: person.displayName } },
      true,
    );
  }

  /**
   * After a crash: a reply left `streaming` is marked interrupted, never resumed or redone
   * silently (SPEC AI-6); prompts that were queued (`pending`) and regenerations that never
   * started are queued again, their claims still unspent.
   */
  private recover(): void {
    // A live reply of another instance means its queue is alive too: leave that queue to it.
    if (!this.markInterrupted()) this.requeue();
  }

  private requeue(): void {
    const messages = messageList(this.doc).toArray().map((map) => ({ map, ...readMessage(map) }));
    const retried = new Set(messages.map((m) => m.retryOf).filter(Boolean));
    const queued = new Set(this.queue.map((job) => `${job.kind}:${job.previousId ?? job.messageId}`));
    for (const m of messages) {
      if (queued.has(`reply:${m.id}`) || queued.has(`regenerate:${m.id}`)) continue;
      if (m.role === "user" && m.pending) {
        this.enqueue({ kind: "reply", messageId: m.id, requester: { id: m.authorId, name: m.authorName } }, false);
      } else if (m.role === "assistant" && m.regenerate && m.replyTo && !retried.has(m.id)) {
        const asked = messages.find((q) => q.id === m.replyTo);
        const requester = { id: asked?.authorId ?? "", name: asked?.authorName ?? "" };
        this.enqueue({ kind: "regenerate", messageId: m.replyTo, previousId: m.id, requester }, false);
      }
    }
  }

  /**
   * Marks replies nobody writes any more as interrupted. Alone, that is every streaming reply
   * this process is not writing; in a cluster, those whose writer's lease has run out (the
   * others are checked again when their lease would end). True while another instance's
   * reply is still live.
   */
  private markInterrupted(): boolean {
    if (this.detached) return false;
    const now = Date.now();
    let nextCheck = Infinity;
    const cut: MessageMap[] = [];
    for (const map of messageList(this.doc).toArray()) {
      const m = readMessage(map);
      if (m.role !== "assistant" || m.authorId !== AI_AUTHOR_ID || m.status !== "streaming" || this.deps.activeReplies.has(m.id)) continue;
      const lease = replyLease(map);
      if (this.deps.solo || lease <= now) cut.push(map);
      else nextCheck = Math.min(nextCheck, lease);
    }
    if (cut.length > 0) {
      this.transact(() => cut.forEach((map) => setStatus(map, "error", INTERRUPTED_ON_RESTART)));
      this.log.warn({ replies: cut.map(messageId) }, "marked replies whose writer stopped as interrupted");
    }
    clearTimeout(this.leaseCheck);
    if (nextCheck === Infinity) return false;
    this.leaseCheck = setTimeout(() => this.recover(), nextCheck - now + 1_000);
    return true;
  }

  /**
   * A spent claim with no reply means its claimer stopped between the two (SPEC AI-6). In a
   * cluster the claimer may be alive and about to write, so its reply gets a lease's time to
   * arrive first; a second claim keeps two instances from both marking it.
   */
  private async markUnstarted(promptId: string): Promise<void> {
    const answered = () => messageList(this.doc).toArray().some((map) => readMessage(map).replyTo === promptId);
    const settle = () => {
      const prompt = findMessage(this.doc, promptId);
      if (prompt) this.transact(() => setPending(prompt, false));
    };
    if (!this.deps.solo) await until(messageList(this.doc), answered, LEASE_MS);
    // Unloaded meanwhile: the prompt stays pending, so the next load looks again.
    if (this.detached) return;
    if (answered()) return settle();
    if (!(await this.deps.claims.claimOnce(`unstarted:${this.name}:${promptId}`, this.deps.instanceId))) return settle();
    const persona = await this.refreshPersona();
    this.transact(() => {
      appendMessage(this.doc, {
        id: nanoid(16), role: "assistant", authorId: AI_AUTHOR_ID, authorName: persona.name, createdAt: Date.now(),
        text: "", status: "error", error: INTERRUPTED_BEFORE_START, replyTo: promptId, model: askingAs(this.deps.provider, persona).model,
      });
      settle();
    });
    this.log.warn({ messageId: promptId }, "marked a prompt whose claimer stopped before replying as interrupted");
  }

  // --- the queue ---------------------------------------------------------------------------

  private enqueue(request: Pick<Job, "kind" | "messageId" | "previousId" | "requester">, countIt: boolean): void {
    const admitted = countIt
      ? this.deps.limits.take(request.requester.id, this.workspaceId).catch((err: unknown) => {
          this.log.error({ err }, "rate limit check failed; letting the prompt through");
          return null;
        })
      : Promise.resolve(null);
    const job: Job = { ...request, admitted, refused: false, started: false, acceptedAt: performance.now() };
    this.queue.push(job);
    void this.hold();
    void admitted.then((refusal) => {
      job.refused = refusal !== null;
      if (refusal === null && job.kind === "reply" && !job.started && this.queue.includes(job)) {
        const map = findMessage(this.doc, job.messageId);
        if (map) this.transact(() => setPending(map, true));
      }
      this.publish();
    });
    this.publish();
    this.kick();
  }

  private kick(): void {
    if (this.pumping || this.detached || this.deps.isClosing()) return;
    this.pumping = this.pump().catch((err: unknown) => this.log.error({ err }, "the AI peer's queue failed")).finally(() => {
      this.pumping = undefined;
      // A prompt that arrived while the last one was letting go of the document.
      if (this.queue.length > 0) this.kick();
    });
  }

  private async pump(): Promise<void> {
    try {
      while (this.queue.length > 0 && !this.detached && !this.deps.isClosing()) {
        const job = this.queue[0]!;
        job.started = true;
        this.publish();
        try {
          if (await this.hold()) await this.run(job);
        } catch (err) {
          this.log.error({ err, messageId: job.messageId }, "the AI peer failed on a prompt");
        }
        this.queue.shift();
        this.publish();
      }
    } finally {
      if (this.queue.length === 0 || this.detached) await this.release();
    }
  }

  private async run(job: Job): Promise<void> {
    const refusal = await job.admitted;
    let target = findMessage(this.doc, job.messageId);
    if (!target) return;
    if (job.kind === "reply" && (isStopRequested(target) || !readMessage(target).text.trim())) {
      this.transact(() => setPending(target!, false));
      return;
    }
    const key = job.kind === "reply" ? `reply:${this.name}:${job.messageId}` : `regenerate:${this.name}:${job.previousId}`;
    // Exactly once (SPEC AI-6): the claim goes through the store, not this process's memory.
    if (!(await this.deps.claims.claimOnce(key, this.deps.instanceId))) {
      this.log.info({ key }, "prompt already claimed; not answering it again");
      // Off the queue: in a cluster it waits up to a lease for the claimer's reply.
      if (job.kind === "reply") {
        this.markUnstarted(job.messageId).catch((err: unknown) => this.log.error({ err, messageId: job.messageId }, "could not check a claimed prompt for its reply"));
      }
      return;
    }
    target = findMessage(this.doc, job.messageId);
    if (!target || this.detached) return;

    const persona = await this.refreshPersona();
    const asking = askingAs(this.deps.provider, persona);
    const model = asking.model;
    const reply = (status: MessageStatus, error?: string) =>
      appendMessage(this.doc, {
        id: nanoid(16), role: "assistant", authorId: AI_AUTHOR_ID, authorName: persona.name, createdAt: Date.now(),
        text: "", status, replyTo: job.messageId, model,
        ...(job.previousId ? { retryOf: job.previousId } : {}),
        ...(error !== undefined ? { error } : {}),
      });
    if (refusal) {
      this.transact(() => {
        setPending(target!, false);
        reply("error", refusal);
      });
      this.log.info({ messageId: job.messageId, userId: job.requester.id }, "prompt refused by a rate limit");
      return;
    }
    let plan: PromptPlan;
    try {
      const retry = job.kind === "regenerate";
      plan = planPrompt(this.doc, target, { persona, budgetTokens: this.deps.contextTokens, countTokens: this.deps.countTokens, retry });
    } catch (err) {
      // The claim is spent: the prompt still gets a reply, one that says what happened.
      this.log.error({ err, messageId: job.messageId }, "could not build the prompt");
      this.transact(() => {
        setPending(target!, false);
        reply("error", "JunoKit could not build the prompt for this message. Use Retry to ask again; if it fails again, tell your admin.");
      });
      return;
    }
    let map!: MessageMap;
    this.transact(() => {
      setPending(target!, false);
      map = reply("streaming");
      setReplyLease(map, Date.now() + LEASE_MS);
      // Messages came in that the question's author had not seen: the reply says so (SPEC AI-17).
      if (plan.movedOn) setMovedOn(map, plan.movedOn);
      for (const [message, state] of plan.ledger) setContextState(message, state);
      if (plan.fold.length > 0) {
        const summary = summaryText(this.doc);
        const separator = summary.length > 0 && !summary.toString().endsWith("\n") ? "\n" : "";
        summary.insert(summary.length, separator + plan.fold.join("\n"));
      }
    });
    await this.stream(map, plan, job, asking.request);
  }

  /** Streams one reply to its end: done, stopped, or an error in words (SPEC AI-4, AI-5). */
  private async stream(reply: MessageMap, plan: PromptPlan, job: Job, asking: ReturnType<typeof askingAs>["request"]): Promise<void> {
    const replyId = messageId(reply);
    const controller = new AbortController();
    this.current = { replyId, controller };
    this.deps.activeReplies.add(replyId);
    const writer = new ReplyWriter(reply, (write) => this.transact(write), this.deps.writeIntervalMs);
    const started = performance.now();
    const renew = setInterval(() => this.transact(() => setReplyLease(reply, Date.now() + LEASE_MS)), LEASE_RENEW_MS);
    this.setTyping(true);
    let status: MessageStatus = "done";
    let error: string | undefined;
    let kind: string | undefined;
    const startMs = performance.now() - job.acceptedAt;
    try {
      if (isStopRequested(reply)) controller.abort(new ReplyEnd("stop", "stopped"));
      const source = this.deps.provider.stream({ ...asking, messages: plan.messages, signal: controller.signal });
      for await (const delta of withDeadlines(source, controller, this.deps.deadlines)) writer.push(delta);
    } catch (err) {
      if (!endReasonOf(controller.signal)) {
        status = "error";
        error = err instanceof AiFailure ? err.message : "The AI peer failed unexpectedly; the server log has the details.";
        kind = err instanceof AiFailure ? err.kind : "unexpected";
        if (!(err instanceof AiFailure)) this.log.error({ err, replyId }, "unexpected failure while streaming a reply");
      }
    }
    clearInterval(renew);
    const end = endReasonOf(controller.signal);
    if (end) {
      status = end.reason === "stop" ? "stopped" : "error";
      error = end.reason === "stop" ? undefined : end.message;
      kind = end.reason;
    }
    if (!this.detached) await writer.finish(status, error);
    this.current = undefined;
    this.deps.activeReplies.delete(replyId);
    this.setTyping(false);
    const report: ReplyReport = {
      docName: this.name, replyId, replyTo: job.messageId, status, startMs: Math.round(startMs * 10) / 10, deltas: writer.deltas, writes: writer.writes, chars: writer.chars,
      ms: Math.round(performance.now() - started), ...(error ? { error } : {}), ...(kind ? { kind } : {}),
    };
    this.log.info(
      { replyId, replyTo: job.messageId, status, kind, startMs: report.startMs, deltas: report.deltas, writes: report.writes, chars: report.chars, ms: report.ms, error },
      "AI reply finished",
    );
    this.deps.onReply?.(report);
  }

  // --- document access ---------------------------------------------------------------------

  /** Keeps the document loaded while there is work; false if it was replaced meanwhile. */
  private async hold(): Promise<boolean> {
    this.holding ??= this.deps.instance.openDirectConnection(this.name, { server: true }).then(
      (connection) => {
        if (connection.document === this.doc) return connection;
        void connection.disconnect();
        return null;
      },
      (err: unknown) => {
        this.log.error({ err }, "could not hold the conversation open");
        return null;
      },
    );
    const held = (await this.holding) !== null;
    if (!held) this.holding = undefined;
    return held;
  }

  private async release(): Promise<void> {
    const holding = this.holding;
    this.holding = undefined;
    const connection = await holding;
    await connection?.disconnect();
  }

  private transact(fn: () => void): void {
    if (!this.detached) this.doc.transact(fn, SERVER_ORIGIN);
  }

  private setTyping(typing: boolean): void {
    this.typing = typing;
    this.publish();
  }

  /** Coalesces the awareness changes of one turn of the event loop into one broadcast. */
  private publish(): void {
    if (this.publishing || this.detached) return;
    this.publishing = true;
    setImmediate(() => {
      this.publishing = false;
      this.publishNow();
    });
  }

  /** The AI's awareness (SPEC AI-2): who it is, whether it is typing, its model and its queue. */
  private publishNow(): void {
    if (this.detached) return;
    const persona = this.persona;
    const description = this.deps.provider.describe();
    const queue: QueueEntry[] = this.queue
      .filter((job) => !job.refused)
      .map((job) => ({
        messageId: job.messageId,
        authorId: job.requester.id,
        authorName: job.requester.name,
        state: job.started ? "answering" : "queued",
      }));
    const ai: AiPresence = {
      model: askingAs(this.deps.provider, persona).model,
      available: description.available,
      ...(description.notice ? { notice: description.notice } : {}),
      queue,
    };
    this.doc.awareness.setLocalState({
      [AWARENESS_USER]: { id: AI_AUTHOR_ID, name: persona.name, color: persona.color, kind: "ai" },
      [AWARENESS_TYPING]: this.typing,
      [AWARENESS_AI]: ai,
    });
  }
}

/** Resolves once `done()` holds, checked on every change of `list`, or after `ms`. */
function until(list: Y.Array<MessageMap>, done: () => boolean, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!done()) return;
      finish();
    };
    const finish = () => {
      clearTimeout(timer);
      list.unobserve(check);
      resolve();
    };
    const timer = setTimeout(finish, ms);
    list.observe(check);
    check();
  });
}
