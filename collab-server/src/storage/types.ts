// The storage seam. LevelDB implements it for one process; PostgreSQL implements it for the
// scale-out path. Every implementation must pass `store.contract.ts`.
import type { Persona } from "@junokit/doc-model";

export type Role = "owner" | "editor" | "viewer";
export const ROLES: readonly Role[] = ["owner", "editor", "viewer"];

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  createdAt: number;
}

export interface WorkspaceRecord {
  id: string;
  name: string;
  createdBy: string;
  createdAt: number;
}

export interface MembershipRecord {
  workspaceId: string;
  userId: string;
  role: Role;
}

export interface ConversationRecord {
  id: string;
  workspaceId: string;
  title: string;
  persona: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

/** A workspace's own persona (SPEC AI-19); the AI answers as it in that workspace only. */
export interface PersonaRecord extends Persona {
  workspaceId: string;
  createdBy: string;
  createdAt: number;
  updatedAt: number;
}

/** Thrown when a unique key (a username) is already taken. */
export class ConflictError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ConflictError";
  }
}

/**
 * A document is an append-only log of Yjs updates (SPEC.md STO-1…STO-5). `appendUpdate` resolves
 * once the update is on disk; the store compacts a long log into one merged update on its own,
 * atomically. Operations on one document never interleave.
 */
export interface DocumentStore {
  /** Every stored update of the document in order (a compacted snapshot first); [] if none. */
  loadDocument(name: string): Promise<Uint8Array[]>;
  appendUpdate(name: string, update: Uint8Array): Promise<void>;
  /** Merges the log into one update now (normally the store decides when); rejects, log untouched, on failure. */
  compactDocument(name: string): Promise<void>;
  /** Total stored bytes of the document's log. */
  documentSize(name: string): Promise<number>;
  deleteDocument(name: string): Promise<void>;
}

export interface AccountStore {
  /** @throws ConflictError when the username (compared exactly) is taken, also when creations race. */
  createUser(user: UserRecord): Promise<void>;
  getUserById(id: string): Promise<UserRecord | null>;
  getUserByUsername(username: string): Promise<UserRecord | null>;
}

export interface WorkspaceStore {
  /** Also makes `owner` the workspace's owner. */
  createWorkspace(workspace: WorkspaceRecord, owner: string): Promise<void>;
  getWorkspace(id: string): Promise<WorkspaceRecord | null>;
  /** Adds the member or replaces their role. */
  setMembership(membership: MembershipRecord): Promise<void>;
  getRole(workspaceId: string, userId: string): Promise<Role | null>;
  /** In no guaranteed order. */
  listMembers(workspaceId: string): Promise<MembershipRecord[]>;
  /** Oldest workspace first (ties by id), each with the user's role. */
  listWorkspacesOf(userId: string): Promise<(WorkspaceRecord & { role: Role })[]>;
  createConversation(conversation: ConversationRecord): Promise<void>;
  getConversation(workspaceId: string, id: string): Promise<ConversationRecord | null>;
  /** Changes only the fields given (undefined keeps); does nothing if the conversation is missing. */
  updateConversation(workspaceId: string, id: string, patch: Partial<Pick<ConversationRecord, "title" | "persona" | "updatedAt">>): Promise<void>;
  /** Most recently updated first (ties by id). */
  listConversations(workspaceId: string): Promise<ConversationRecord[]>;
  /** Removes a conversation's record (its document is deleted through `DocumentStore`). */
  deleteConversation(workspaceId: string, id: string): Promise<void>;
  /** Creates the persona or replaces it whole (STO-12). */
  putPersona(persona: PersonaRecord): Promise<void>;
  /** Only within its workspace: another workspace's id is null. */
  getPersona(workspaceId: string, id: string): Promise<PersonaRecord | null>;
  /** Oldest first (ties by id). */
  listPersonas(workspaceId: string): Promise<PersonaRecord[]>;
  /** A missing persona is no error. */
  deletePersona(workspaceId: string, id: string): Promise<void>;
}

export interface ClaimStore {
  /**
   * Claims `key` for `owner` for good: true for the first caller ever, false for everyone
   * after (also across restarts). The AI peer claims each message it answers.
   */
  claimOnce(key: string, owner: string): Promise<boolean>;
}

export interface Store extends DocumentStore, AccountStore, WorkspaceStore, ClaimStore {
  /** Cheap liveness check for /api/health: one read. */
  ping(): Promise<void>;
  /** Waits for queued writes (background compactions included), then closes. */
  close(): Promise<void>;
}
