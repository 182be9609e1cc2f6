// Storage: documents as append-only Yjs update logs, plus accounts, workspaces and claims.
// The rest of the server depends on the `Store` interface only; `openLevelStore` makes one.
export * from "./types";
export { openLevelStore, type LevelStoreOptions } from "./level-store";
export { openPostgresStore, type PostgresStoreOptions } from "./postgres-store";
export { inTransaction } from "./postgres-transaction";
