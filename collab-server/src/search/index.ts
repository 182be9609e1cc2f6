// Full-text search over a workspace's messages, notes and titles: the `SearchIndex` seam, its
// MiniSearch (in memory) and PostgreSQL (shared) implementations, the service that keeps it
// fresh, and the HTTP endpoint.
export type { ConversationText, SearchHit, SearchIndex, SearchKind } from "./types";
export { createMiniSearchIndex } from "@junokit/doc-model/search-index";
export { openPostgresSearchIndex, type PostgresSearchIndex, type PostgresSearchIndexOptions } from "./postgres-index";
export { createDocumentSource, type DocumentSource } from "./document-source";
export { createSearchService, type SearchService, type SearchServiceOptions } from "./search-service";
export { searchRoutes, MAX_QUERY_CHARS } from "./routes";
