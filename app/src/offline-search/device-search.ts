// Search over the conversations cached on this device (SPEC SRCH-7): each cached copy is read
// from IndexedDB one at a time, its text put in the same MiniSearch index the server uses (so
// ranking, typos, prefixes and snippets match), and the document dropped again. Only what
// changed since the last read is read again; memory is bounded by a budget of indexed text.
import { conversationText, type SearchHit } from "@junokit/doc-model";
import { createMiniSearchIndex, type SearchIndex } from "@junokit/doc-model/search-index";
import { cacheName, readCachedCopy } from "../cache";

export interface ConversationRef {
  id: string;
  docName: string;
  title: string;
}

export interface DeviceSearchStatus {
  /** Conversations in the workspace list. */
  total: number;
  /** Of those, read (or found unchanged) so far; equals `total` when `done`. */
  read: number;
  /** Cached on this device and searched. */
  searched: number;
  /** Never kept on this device (not opened here). */
  notCached: ConversationRef[];
  /** Cached, but over the memory budget: not searched. */
  leftOut: ConversationRef[];
  /** Cached, but IndexedDB failed reading them. */
  unreadable: ConversationRef[];
  done: boolean;
  /** Time the refresh that produced this status took to read and index, ms. */
  readMs: number;
  /** Characters of text in the index (bounded by the budget). */
  indexedChars: number;
}

export interface DeviceSearchOptions {
  /** The IndexedDB to read (tests pass fake-indexeddb's); null: none. */
  factory: IDBFactory | null;
  /** Indexed characters at most, across conversations (the oldest are left out beyond it). */
  budgetChars?: number;
  /** A message's text beyond this many characters is not searched here. */
  maxEntryChars?: number;
  /** Lets other work run between conversations and slices; defaults to a macrotask. */
  pause?(): Promise<void>;
  /** A refresh within this many ms of the last one, for the same list, reuses it. */
  freshMs?: number;
  now?(): number;
}

export interface RefreshRequest {
  userId: string;
  workspaceId: string;
  /** The workspace's conversations, most recently active first (the order they are read in). */
  conversations: readonly ConversationRef[];
}

/** ~2 bytes a character plus MiniSearch's postings: a few tens of MB at most. */
export const DEFAULT_BUDGET_CHARS = 8_000_000;
export const DEFAULT_MAX_ENTRY_CHARS = 20_000;
const DEFAULT_FRESH_MS = 2_000;

interface Known {
  version: number;
  chars: number;
}

export class DeviceSearch {
  private index: SearchIndex;
  private scope = "";
  private workspaceId = "";
  private known = new Map<string, Known>();
  private usedChars = 0;
  private last: { key: string; at: number; status: DeviceSearchStatus } | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private readonly budgetChars: number;
  private readonly maxEntryChars: number;

  constructor(private readonly options: DeviceSearchOptions) {
    this.budgetChars = options.budgetChars ?? DEFAULT_BUDGET_CHARS;
    this.maxEntryChars = options.maxEntryChars ?? DEFAULT_MAX_ENTRY_CHARS;
    this.index = createMiniSearchIndex({ maxEntryChars: this.maxEntryChars });
  }

  /** Brings the index up to date with the cached copies of these conversations (one refresh at a time). */
  refresh(request: RefreshRequest, onProgress?: (status: DeviceSearchStatus) => void): Promise<DeviceSearchStatus> {
    const next = this.running.then(() => this.refreshNow(request, onProgress));
    this.running = next.catch(() => undefined);
    return next;
  }

  /** Searches what the last refresh indexed, best first. */
  search(query: string, limit: number): Promise<SearchHit[]> {
    return this.index.search(this.workspaceId, query, limit);
  }

  /** Characters of text indexed now (tests and the benchmark). */
  get indexedChars(): number {
    return this.usedChars;
  }

  private async refreshNow(request: RefreshRequest, onProgress?: (status: DeviceSearchStatus) => void): Promise<DeviceSearchStatus> {
    const now = this.options.now ?? Date.now;
    const key = `${request.userId}\n${request.workspaceId}\n${request.conversations.map((c) => c.id).join(",")}`;
    if (this.last?.key === key && now() - this.last.at < (this.options.freshMs ?? DEFAULT_FRESH_MS)) return this.last.status;
    const began = performance.now();
    this.useScope(request);
    const status: DeviceSearchStatus = {
      total: request.conversations.length, read: 0, searched: 0, notCached: [], leftOut: [], unreadable: [], done: false, readMs: 0, indexedChars: this.usedChars,
    };
    const listed = new Set(request.conversations.map((c) => c.id));
    for (const id of [...this.known.keys()]) if (!listed.has(id)) await this.forget(request.workspaceId, id);
    onProgress?.({ ...status });
    for (const conversation of request.conversations) {
      const outcome = await this.readOne(request, conversation);
      if (outcome === "searched") status.searched++;
      else status[outcome].push(conversation);
      status.read++;
      status.indexedChars = this.usedChars;
      onProgress?.({ ...status });
      await this.pause();
    }
    status.done = true;
    status.readMs = performance.now() - began;
    this.last = { key, at: now(), status };
    return status;
  }

  /** Reads one conversation's copy into the index; says where it belongs in the status. */
  private async readOne(request: RefreshRequest, ref: ConversationRef): Promise<"notCached" | "leftOut" | "unreadable" | "searched"> {
    const { factory } = this.options;
    if (!factory) return "notCached";
    const known = this.known.get(ref.id);
    let copy;
    try {
      copy = await readCachedCopy(factory, cacheName(request.userId, ref.docName), known?.version);
    } catch {
      // What was indexed before stays searchable; the status says this one could not be read.
      return "unreadable";
    }
    if (copy.kind === "missing") {
      if (known) await this.forget(request.workspaceId, ref.id);
      return "notCached";
    }
    if (copy.kind === "unchanged") return "searched";
    const text = conversationText(ref.docName, copy.doc);
    copy.doc.destroy();
    if (!text) return "notCached";
    const chars = text.title.length + Math.min(text.notes.length, this.maxEntryChars) + text.messages.reduce((n, m) => n + Math.min(m.text.length, this.maxEntryChars), 0);
    if (this.usedChars - (known?.chars ?? 0) + chars > this.budgetChars) {
      if (known) await this.forget(request.workspaceId, ref.id);
      return "leftOut";
    }
    // The list's title when the copy has none yet (a conversation created but never synced here).
    await this.index.put({ ...text, title: text.title || ref.title });
    this.usedChars += chars - (known?.chars ?? 0);
    this.known.set(ref.id, { version: copy.version, chars });
    return "searched";
  }

  private async forget(workspaceId: string, conversationId: string): Promise<void> {
    await this.index.remove(workspaceId, conversationId);
    this.usedChars -= this.known.get(conversationId)?.chars ?? 0;
    this.known.delete(conversationId);
  }

  /** Another person or workspace: start from an empty index (one workspace is kept at a time). */
  private useScope({ userId, workspaceId }: RefreshRequest): void {
    const scope = `${userId}\n${workspaceId}`;
    if (scope === this.scope) return;
    this.scope = scope;
    this.workspaceId = workspaceId;
    this.index = createMiniSearchIndex({ maxEntryChars: this.maxEntryChars });
    this.known.clear();
    this.usedChars = 0;
    this.last = null;
  }

  private pause(): Promise<void> {
    return this.options.pause ? this.options.pause() : new Promise((resolve) => setTimeout(resolve, 0));
  }
}
