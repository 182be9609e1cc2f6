// The search seam and its in-memory implementation, used by the server (LevelDB deployments,
// SPEC SRCH-1) and by the browser over its cached conversations (SPEC SRCH-7). One MiniSearch
// per workspace (so a query can only ever see its own workspace), one entry per message, per
// conversation's notes and per title. Ranking is MiniSearch's BM25+, with prefix and
// typo-tolerant (fuzzy) matching.
import MiniSearch, { type SearchResult } from "minisearch";
import { makeSnippet, matchesAsPrefix, MAX_QUERY_TERMS, MAX_TYPOS, normalizeWord, SEARCH_KIND_BOOST, typoFraction, words, type ConversationText, type SearchHit, type SearchKind } from "./search-text";

export interface SearchIndex {
  /** Replaces everything indexed for this conversation. */
  put(conversation: ConversationText): Promise<void>;
  remove(workspaceId: string, conversationId: string): Promise<void>;
  /** The `updatedAt` of each indexed conversation of the workspace. */
  versions(workspaceId: string): Promise<Map<string, number>>;
  /** Best first; `query` is already length-checked by the caller. */
  search(workspaceId: string, query: string, limit: number): Promise<SearchHit[]>;
}

export interface MiniSearchIndexOptions {
  /** Longer texts are indexed by their beginning only, which bounds memory per entry. */
  maxEntryChars?: number;
}

interface Entry {
  id: string;
  conversationId: string;
  kind: SearchKind;
  messageId?: string;
  authorName?: string;
  createdAt?: number;
  text: string;
}

interface Indexed {
  docName: string;
  title: string;
  updatedAt: number;
  /** Entry id → its text, to skip unchanged entries when a conversation is put again. */
  entries: Map<string, string>;
}

interface Workspace {
  search: MiniSearch<Entry>;
  entries: Map<string, Entry>;
  conversations: Map<string, Indexed>;
}

export function createMiniSearchIndex(options: MiniSearchIndexOptions = {}): SearchIndex {
  const maxEntryChars = options.maxEntryChars ?? 200_000;
  const workspaces = new Map<string, Workspace>();

  function workspace(id: string): Workspace {
    let ws = workspaces.get(id);
    if (!ws) {
      const search = new MiniSearch<Entry>({
        fields: ["text"],
        storeFields: [],
        tokenize: words,
        processTerm: normalizeWord,
        searchOptions: { prefix: matchesAsPrefix, fuzzy: typoFraction, maxFuzzy: MAX_TYPOS },
      });
      ws = { search, entries: new Map(), conversations: new Map() };
      workspaces.set(id, ws);
    }
    return ws;
  }

  function entriesOf(c: ConversationText): Entry[] {
    const out: Entry[] = [{ id: `${c.conversationId}/title`, conversationId: c.conversationId, kind: "title", text: c.title }];
    const seen = new Set<string>();
    for (const m of c.messages) {
      // A message id repeated by a misbehaving client is indexed once.
      if (seen.has(m.id) || !m.text.trim()) continue;
      seen.add(m.id);
      out.push({
        id: `${c.conversationId}/m/${m.id}`, conversationId: c.conversationId, kind: "message",
        messageId: m.id, authorName: m.authorName, createdAt: m.createdAt, text: m.text.slice(0, maxEntryChars),
      });
    }
    if (c.notes.trim()) out.push({ id: `${c.conversationId}/notes`, conversationId: c.conversationId, kind: "notes", text: c.notes.slice(0, maxEntryChars) });
    return out;
  }

  function discard(ws: Workspace, id: string): void {
    ws.search.discard(id);
    ws.entries.delete(id);
  }

  function toHit(ws: Workspace, result: SearchResult): SearchHit | null {
    const entry = ws.entries.get(result.id as string);
    const conversation = entry && ws.conversations.get(entry.conversationId);
    if (!entry || !conversation) return null;
    const { snippet, highlights } = makeSnippet(entry.text, new Set(result.terms));
    const hit: SearchHit = {
      conversationId: entry.conversationId, docName: conversation.docName, title: conversation.title,
      kind: entry.kind, snippet, highlights, score: Math.round(result.score * 1000) / 1000,
    };
    if (entry.messageId !== undefined) Object.assign(hit, { messageId: entry.messageId, authorName: entry.authorName, createdAt: entry.createdAt });
    return hit;
  }

  return {
    async put(c) {
      const ws = workspace(c.workspaceId);
      const before = ws.conversations.get(c.conversationId)?.entries ?? new Map<string, string>();
      const after = new Map<string, string>();
      for (const entry of entriesOf(c)) {
        after.set(entry.id, entry.text);
        if (before.get(entry.id) === entry.text) {
          ws.entries.set(entry.id, entry); // author or time may have changed; the words did not
          continue;
        }
        if (before.has(entry.id)) discard(ws, entry.id);
        ws.search.add(entry);
        ws.entries.set(entry.id, entry);
      }
      for (const id of before.keys()) if (!after.has(id)) discard(ws, id);
      ws.conversations.set(c.conversationId, { docName: c.docName, title: c.title, updatedAt: c.updatedAt, entries: after });
    },

    async remove(workspaceId, conversationId) {
      const ws = workspaces.get(workspaceId);
      const indexed = ws?.conversations.get(conversationId);
      if (!ws || !indexed) return;
      for (const id of indexed.entries.keys()) discard(ws, id);
      ws.conversations.delete(conversationId);
    },

    async versions(workspaceId) {
      const ws = workspaces.get(workspaceId);
      return new Map([...(ws?.conversations ?? new Map<string, Indexed>())].map(([id, c]) => [id, c.updatedAt]));
    },

    async search(workspaceId, query, limit) {
      const ws = workspaces.get(workspaceId);
      const terms = words(query).slice(0, MAX_QUERY_TERMS);
      if (!ws || terms.length === 0) return [];
      const q = terms.join(" ");
      const boostDocument = (id: string) => SEARCH_KIND_BOOST[ws.entries.get(id)?.kind ?? "message"];
      // Every word must match; when nothing does, fall back to any word, ranked by how many match.
      let results = ws.search.search(q, { combineWith: "AND", boostDocument });
      if (results.length === 0 && terms.length > 1) results = ws.search.search(q, { combineWith: "OR", boostDocument });
      const hits: SearchHit[] = [];
      for (const result of results) {
        const hit = toHit(ws, result);
        if (hit) hits.push(hit);
        if (hits.length >= limit) break;
      }
      return hits;
    },
  };
}
