// Storage: documents as append-only Yjs update logs, plus accounts, workspaces and claims.
// The rest of the server depends on the `Store` interface only.
export * from "./types";
