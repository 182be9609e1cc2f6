// The LevelDB store: one process owns one data directory (LevelDB locks it). Uniqueness and
// read-modify-write rules rely on that: they are serialized in this process (SPEC.md STO-*).
// Every write goes through one queue, so `close()` can wait for all of them.
import { ClassicLevel } from "classic-level";
import { createLogger, type Logger } from "../log";
import { LevelDocumentLog } from "./document-log";
import { compositeKey, keySuffix, prefixRange, sublevelsOf, type Db, type Sublevels } from "./level-layout";
import { SerialByKey } from "./serial-by-key";
import {
  ConflictError,
  type ConversationRecord,
  type PersonaRecord,
  type MembershipRecord,
  type Role,
  type Store,
  type UserRecord,
  type WorkspaceRecord,
} from "./types";

export interface LevelStoreOptions {
  /** Appended entries after which a document's log is compacted in the background (default 500). */
  compactAfter?: number;
  logger?: Logger;
}

export async function openLevelStore(dir: string, opts: LevelStoreOptions = {}): Promise<Store> {
  const db: Db = new ClassicLevel<string, Uint8Array>(dir, { valueEncoding: "view" });
  await db.open();
  return levelStoreOn(db, opts);
}

/** A store over an open database, which it then owns. Tests use it to watch the db's writes. */
export function levelStoreOn(db: Db, opts: LevelStoreOptions = {}): Store {
  return new LevelStore(db, opts.compactAfter ?? 500, opts.logger ?? createLogger("silent"));
}

type ConversationPatch = Partial<Pick<ConversationRecord, "title" | "persona" | "updatedAt">>;

class LevelStore implements Store {
  private readonly at: Sublevels;
  private readonly queue = new SerialByKey();
  private readonly documents: LevelDocumentLog;

  constructor(private readonly db: Db, compactAfter: number, logger: Logger) {
    this.at = sublevelsOf(db);
    this.documents = new LevelDocumentLog(this.at.documents, this.queue, compactAfter, logger);
  }

  loadDocument(name: string) { return this.documents.loadDocument(name); }
  appendUpdate(name: string, update: Uint8Array) { return this.documents.appendUpdate(name, update); }
  compactDocument(name: string) { return this.documents.compactDocument(name); }
  documentSize(name: string) { return this.documents.documentSize(name); }
  deleteDocument(name: string) { return this.documents.deleteDocument(name); }

  async createUser(user: UserRecord): Promise<void> {
    return this.queue.run(compositeKey("username", user.username), async () => {
      if ((await this.at.usernames.get(user.username)) !== undefined) {
        throw new ConflictError("username is taken");
      }
      await this.db.batch()
        .put(user.id, user, { sublevel: this.at.users })
        .put(user.username, user.id, { sublevel: this.at.usernames })
        .write();
    });
  }

  async getUserById(id: string): Promise<UserRecord | null> {
    return (await this.at.users.get(id)) ?? null;
  }

  async getUserByUsername(username: string): Promise<UserRecord | null> {
    const id = await this.at.usernames.get(username);
    return id === undefined ? null : this.getUserById(id);
  }

  async createWorkspace(workspace: WorkspaceRecord, owner: string): Promise<void> {
    return this.queue.run(compositeKey("workspace", workspace.id), async () => {
      const batch = this.db.batch().put(workspace.id, workspace, { sublevel: this.at.workspaces });
      await this.putMembership(batch, { workspaceId: workspace.id, userId: owner, role: "owner" }).write();
    });
  }

  async getWorkspace(id: string): Promise<WorkspaceRecord | null> {
    return (await this.at.workspaces.get(id)) ?? null;
  }

  async setMembership(membership: MembershipRecord): Promise<void> {
    const key = compositeKey("membership", membership.workspaceId, membership.userId);
    return this.queue.run(key, () => this.putMembership(this.db.batch(), membership).write());
  }

  async getRole(workspaceId: string, userId: string): Promise<Role | null> {
    return (await this.at.membersOfWorkspace.get(compositeKey(workspaceId, userId))) ?? null;
  }

  async listMembers(workspaceId: string): Promise<MembershipRecord[]> {
    const rows = await this.at.membersOfWorkspace.iterator(prefixRange(workspaceId)).all();
    return rows.map(([key, role]) => ({ workspaceId, userId: keySuffix(key, workspaceId), role }));
  }

  async listWorkspacesOf(userId: string): Promise<(WorkspaceRecord & { role: Role })[]> {
    const rows = await this.at.workspacesOfUser.iterator(prefixRange(userId)).all();
    const records = await this.at.workspaces.getMany(rows.map(([key]) => keySuffix(key, userId)));
    return rows
      .flatMap(([, role], i) => {
        const workspace = records[i];
        return workspace ? [{ ...workspace, role }] : [];
      })
      .sort((a, b) => a.createdAt - b.createdAt || compareIds(a.id, b.id));
  }

  async createConversation(conversation: ConversationRecord): Promise<void> {
    const key = compositeKey(conversation.workspaceId, conversation.id);
    const lock = compositeKey("conversation", conversation.workspaceId, conversation.id);
    return this.queue.run(lock, () => this.at.conversations.put(key, conversation));
  }

  async getConversation(workspaceId: string, id: string): Promise<ConversationRecord | null> {
    return (await this.at.conversations.get(compositeKey(workspaceId, id))) ?? null;
  }

  async updateConversation(workspaceId: string, id: string, patch: ConversationPatch): Promise<void> {
    const key = compositeKey(workspaceId, id);
    return this.queue.run(compositeKey("conversation", workspaceId, id), async () => {
      const current = await this.at.conversations.get(key);
      if (!current) return;
      const { title, persona, updatedAt } = patch;
      const changes = Object.entries({ title, persona, updatedAt }).filter(([, v]) => v !== undefined);
      await this.at.conversations.put(key, { ...current, ...Object.fromEntries(changes) });
    });
  }

  async listConversations(workspaceId: string): Promise<ConversationRecord[]> {
    const records = await this.at.conversations.values(prefixRange(workspaceId)).all();
    return records.sort((a, b) => b.updatedAt - a.updatedAt || compareIds(a.id, b.id));
  }

  async deleteConversation(workspaceId: string, id: string): Promise<void> {
    const lock = compositeKey("conversation", workspaceId, id);
    return this.queue.run(lock, () => this.at.conversations.del(compositeKey(workspaceId, id)));
  }

  async putPersona(persona: PersonaRecord): Promise<void> {
    const key = compositeKey(persona.workspaceId, persona.id);
    return this.queue.run(compositeKey("persona", persona.workspaceId, persona.id), () => this.at.personas.put(key, persona));
  }

  async getPersona(workspaceId: string, id: string): Promise<PersonaRecord | null> {
    return (await this.at.personas.get(compositeKey(workspaceId, id))) ?? null;
  }

  async listPersonas(workspaceId: string): Promise<PersonaRecord[]> {
    const records = await this.at.personas.values(prefixRange(workspaceId)).all();
    return records.sort((a, b) => a.createdAt - b.createdAt || compareIds(a.id, b.id));
  }

  async deletePersona(workspaceId: string, id: string): Promise<void> {
    const lock = compositeKey("persona", workspaceId, id);
    return this.queue.run(lock, () => this.at.personas.del(compositeKey(workspaceId, id)));
  }

  async claimOnce(key: string, owner: string): Promise<boolean> {
    return this.queue.run(compositeKey("claim", key), async () => {
      if ((await this.at.claims.get(key)) !== undefined) return false;
      await this.at.claims.put(key, owner);
      return true;
    });
  }

  async ping(): Promise<void> {
    await this.at.claims.get("ping");
  }

  async close(): Promise<void> {
    await this.queue.idle();
    await this.db.close();
  }

  private putMembership(batch: ReturnType<Db["batch"]>, m: MembershipRecord): ReturnType<Db["batch"]> {
    return batch
      .put(compositeKey(m.workspaceId, m.userId), m.role, { sublevel: this.at.membersOfWorkspace })
      .put(compositeKey(m.userId, m.workspaceId), m.role, { sublevel: this.at.workspacesOfUser });
  }
}

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
