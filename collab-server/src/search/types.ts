// The search seam: what the server indexes (a conversation's text) and what a query returns.
// MiniSearch implements it in memory; a PostgreSQL full-text implementation can replace it.

export type SearchKind = "message" | "notes" | "title";

/** Everything searchable in one conversation, read from its document. */
export interface ConversationText {
  workspaceId: string;
  conversationId: string;
  docName: string;
  title: string;
  /** The conversation's last activity as its stored record counts it (SPEC IDX-1): the freshness mark. */
  updatedAt: number;
  messages: { id: string; authorName: string; createdAt: number; text: string }[];
  /** The notes as plain text. */
  notes: string;
}

export interface SearchHit {
  conversationId: string;
  docName: string;
  title: string;
  kind: SearchKind;
  /** The message to jump to (kind "message"). */
  messageId?: string;
  authorName?: string;
  createdAt?: number;
  /** Plain text around the best match, "…" where it was cut. */
  snippet: string;
  /** [start, end) UTF-16 offsets of matched words in `snippet`. */
  highlights: [number, number][];
  score: number;
}

export interface SearchIndex {
  /** Replaces everything indexed for this conversation. */
  put(conversation: ConversationText): Promise<void>;
  remove(workspaceId: string, conversationId: string): Promise<void>;
  /** The `updatedAt` of each indexed conversation of the workspace. */
  versions(workspaceId: string): Promise<Map<string, number>>;
  /** Best first; `query` is already length-checked by the caller. */
  search(workspaceId: string, query: string, limit: number): Promise<SearchHit[]>;
}
