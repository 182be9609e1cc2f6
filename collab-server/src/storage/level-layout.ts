// Where each kind of record lives in the LevelDB directory: one sublevel per kind, keys made of
// parts joined by NUL so that a prefix range selects exactly one owner's rows.
import type { ClassicLevel } from "classic-level";
import type { ConversationRecord, PersonaRecord, Role, UserRecord, WorkspaceRecord } from "./types";

export type Db = ClassicLevel<string, Uint8Array>;

export function sublevelsOf(db: Db) {
  const json = { valueEncoding: "json" } as const;
  const utf8 = { valueEncoding: "utf8" } as const;
  return {
    /** `<document name>\0<seq>` → one Yjs update (or a compacted snapshot). */
    documents: db.sublevel<string, Uint8Array>("documents", { valueEncoding: "view" }),
    users: db.sublevel<string, UserRecord>("users", json),
    /** username → user id. */
    usernames: db.sublevel<string, string>("usernames", utf8),
    workspaces: db.sublevel<string, WorkspaceRecord>("workspaces", json),
    /** `<workspace id>\0<user id>` → role. */
    membersOfWorkspace: db.sublevel<string, Role>("members-of-workspace", utf8),
    /** `<user id>\0<workspace id>` → role (the same rows, indexed the other way). */
    workspacesOfUser: db.sublevel<string, Role>("workspaces-of-user", utf8),
    /** `<workspace id>\0<conversation id>` → record. */
    conversations: db.sublevel<string, ConversationRecord>("conversations", json),
    /** `<workspace id>\0<persona id>` → record. */
    personas: db.sublevel<string, PersonaRecord>("personas", json),
    /** claim key → owner. */
    claims: db.sublevel<string, string>("claims", utf8),
  };
}

export type Sublevels = ReturnType<typeof sublevelsOf>;

const SEPARATOR = "\u0000";

export function compositeKey(...parts: string[]): string {
  for (const part of parts) {
    if (part.includes(SEPARATOR)) throw new TypeError("storage keys must not contain NUL");
  }
  return parts.join(SEPARATOR);
}

/** Every key `compositeKey(prefix, …)`, in key order. */
export function prefixRange(prefix: string): { gt: string; lt: string } {
  const start = compositeKey(prefix, "");
  return { gt: start, lt: prefix + "\u0001" };
}

/** The part of `key` after `prefix` and its separator. */
export function keySuffix(key: string, prefix: string): string {
  return key.slice(prefix.length + SEPARATOR.length);
}
