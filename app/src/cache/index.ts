// The device's copy of every document (IndexedDB): loaded before the network so cached
// conversations paint at once and offline edits survive reloads; bounded by compaction;
// storage failures become a warning, never a broken app.
export { COMPACT_AFTER, LocalCache, readGeneration } from "./local-cache";
export type { CacheProblemKind, CacheRecords, LocalCacheOptions } from "./local-cache";
export { cacheName, forgetLocalData } from "./forget";
export { deleteDatabase, isQuotaError } from "./idb";
export { askForPersistentStorage, reportStorageProblem, STORAGE_PROBLEM_TEXT, storageHealth, storageRecovered } from "./health";
export type { StorageProblem, StorageProblemKind } from "./health";
export { readCachedCopy } from "./read-copy";
export type { CachedCopy } from "./read-copy";
