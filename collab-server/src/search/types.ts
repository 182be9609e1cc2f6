// The search seam: what the server indexes (a conversation's text) and what a query returns.
// MiniSearch implements it in memory (in doc-model, shared with the browser's offline search);
// a PostgreSQL full-text implementation can replace it.
export type { ConversationText, SearchHit, SearchKind } from "@junokit/doc-model";
export type { SearchIndex } from "@junokit/doc-model/search-index";
