import pg from "pg";
import * as Y from "yjs";
import { createLogger, type Logger } from "../log";
import { MIGRATION_LOCK, MIGRATIONS } from "./postgres-migrations";
import { inTransaction } from "./postgres-transaction";
import {
  ConflictError, type ConversationRecord, type MembershipRecord, type PersonaRecord, type Role, type Store, type UserRecord, type WorkspaceRecord,
} from "./types";

export interface PostgresStoreOptions {
  /** Appended entries after which this instance compacts a document's log (default 500). */
  compactAfter?: number;
  /** A schema to live in (created if missing); tests give each store its own. */
  schema?: string;
  logger?: Logger;
  poolSize?: number;
}

/** Opens the PostgreSQL store: connects, runs pending migrations, and checks it can read. */
export async function openPostgresStore(connectionString: string, opts: PostgresStoreOptions = {}): Promise<Store> {
  const schema = opts.schema ?? "public";
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const pool = new pg.Pool({
    connectionString,
    max: opts.poolSize ?? 10,
    connectionTimeoutMillis: 5_000,
    options: `-c search_path=${schema}`,
  });
  const logger = opts.logger ?? createLogger("silent");
  pool.on("error", (err) => logger.error({ err }, "PostgreSQL connection error"));
  try {
    await migrate(pool, schema, logger);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return new PostgresStore(pool, opts.compactAfter ?? 500, logger);
}

async function migrate(pool: pg.Pool, schema: string, logger: Logger): Promise<void> {
  const client = await pool.connect();
  try {
    // Lock first: even CREATE SCHEMA IF NOT EXISTS races between instances.
    await client.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    await client.query("CREATE TABLE IF NOT EXISTS junokit_migrations (version int PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
    const { rows } = await client.query<{ version: number }>("SELECT coalesce(max(version), 0) AS version FROM junokit_migrations");
    for (let version = rows[0]!.version + 1; version <= MIGRATIONS.length; version++) {
      await client.query("BEGIN");
      await client.query(MIGRATIONS[version - 1]!);
      await client.query("INSERT INTO junokit_migrations (version) VALUES ($1)", [version]);
      await client.query("COMMIT");
      logger.info({ version, schema }, "applied PostgreSQL migration");
    }
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}

const UNIQUE_VIOLATION = "23505";

type ConversationRow = { workspace_id: string; id: string; title: string; persona: string; created_by: string; created_at: string; updated_at: string };

function conversationOf(r: ConversationRow): ConversationRecord {
  return { workspaceId: r.workspace_id, id: r.id, title: r.title, persona: r.persona, createdBy: r.created_by, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at) };
}

type PersonaRow = {
  workspace_id: string; id: string; name: string; color: string; system_prompt: string; starters: string[];
  model: string | null; temperature: number | null; created_by: string; created_at: string; updated_at: string;
};

function personaOf(r: PersonaRow): PersonaRecord {
  return {
    workspaceId: r.workspace_id, id: r.id, name: r.name, color: r.color, systemPrompt: r.system_prompt, starters: r.starters,
    ...(r.model !== null ? { model: r.model } : {}), ...(r.temperature !== null ? { temperature: r.temperature } : {}),
    createdBy: r.created_by, createdAt: Number(r.created_at), updatedAt: Number(r.updated_at),
  };
}

function userOf(r: { id: string; username: string; display_name: string; password_hash: string; created_at: string }): UserRecord {
  return { id: r.id, username: r.username, displayName: r.display_name, passwordHash: r.password_hash, createdAt: Number(r.created_at) };
}

function workspaceOf(r: { id: string; name: string; created_by: string; created_at: string }): WorkspaceRecord {
  return { id: r.id, name: r.name, createdBy: r.created_by, createdAt: Number(r.created_at) };
}

class PostgresStore implements Store {
  private readonly appendsSinceCompaction = new Map<string, number>();
  private readonly compactions = new Set<Promise<void>>();

  constructor(private readonly pool: pg.Pool, private readonly compactAfter: number, private readonly logger: Logger) {}

  async loadDocument(name: string): Promise<Uint8Array[]> {
    const { rows } = await this.pool.query<{ update: Buffer }>("SELECT update FROM document_updates WHERE doc = $1 ORDER BY seq", [name]);
    return rows.map((r) => new Uint8Array(r.update));
  }

  async appendUpdate(name: string, update: Uint8Array): Promise<void> {
    await this.pool.query("INSERT INTO document_updates (doc, update) VALUES ($1, $2)", [name, Buffer.from(update)]);
    const count = (this.appendsSinceCompaction.get(name) ?? 0) + 1;
    this.appendsSinceCompaction.set(name, count);
    if (count >= this.compactAfter) this.compactInBackground(name);
  }

  private compactInBackground(name: string): void {
    this.appendsSinceCompaction.set(name, 0);
    const job = this.compactDocument(name).catch((err) => {
      this.logger.error({ err, doc: name }, "compacting a document log failed; it will be retried");
      this.appendsSinceCompaction.set(name, Math.floor(this.compactAfter * 0.9));
    });
    this.compactions.add(job);
    void job.finally(() => this.compactions.delete(job));
  }

  /**
   * Replaces the visible entries by their merge, in one transaction; rows appended meanwhile
   * (by any instance) are kept. A per-document advisory lock makes compactions of one log,
   * from any instance, take turns.
   */
  async compactDocument(name: string): Promise<void> {
    await this.transaction(async (client) => {
      await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [name]);
      const { rows } = await client.query<{ seq: string; update: Buffer }>(
        "SELECT seq, update FROM document_updates WHERE doc = $1 ORDER BY seq FOR UPDATE", [name]);
      if (rows.length < 2) return;
      const last = rows.at(-1)!.seq;
      const merged = Y.mergeUpdates(rows.map((r) => new Uint8Array(r.update)));
      // Delete exactly what was merged: a row another instance commits meanwhile may have a
      // lower sequence number than `last` and must survive.
      await client.query("DELETE FROM document_updates WHERE doc = $1 AND seq = ANY($2::bigint[])", [name, rows.map((r) => r.seq)]);
      await client.query("INSERT INTO document_updates (doc, seq, update) VALUES ($1, $2, $3)", [name, last, Buffer.from(merged)]);
    });
  }

  async documentSize(name: string): Promise<number> {
    const { rows } = await this.pool.query<{ size: string }>("SELECT coalesce(sum(octet_length(update)), 0) AS size FROM document_updates WHERE doc = $1", [name]);
    return Number(rows[0]!.size);
  }

  async deleteDocument(name: string): Promise<void> {
    await this.pool.query("DELETE FROM document_updates WHERE doc = $1", [name]);
    this.appendsSinceCompaction.delete(name);
  }

  async createUser(user: UserRecord): Promise<void> {
    try {
      await this.pool.query(
        "INSERT INTO users (id, username, display_name, password_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
        [user.id, user.username, user.displayName, user.passwordHash, user.createdAt]);
    } catch (error) {
      if ((error as { code?: string }).code === UNIQUE_VIOLATION) throw new ConflictError("username is taken");
      throw error;
    }
  }

  async getUserById(id: string): Promise<UserRecord | null> {
    const { rows } = await this.pool.query("SELECT * FROM users WHERE id = $1", [id]);
    return rows[0] ? userOf(rows[0]) : null;
  }

  async getUserByUsername(username: string): Promise<UserRecord | null> {
    const { rows } = await this.pool.query("SELECT * FROM users WHERE username = $1", [username]);
    return rows[0] ? userOf(rows[0]) : null;
  }

  async createWorkspace(workspace: WorkspaceRecord, owner: string): Promise<void> {
    await this.transaction(async (client) => {
      await client.query("INSERT INTO workspaces (id, name, created_by, created_at) VALUES ($1, $2, $3, $4)",
        [workspace.id, workspace.name, workspace.createdBy, workspace.createdAt]);
      await client.query("INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, 'owner')", [workspace.id, owner]);
    });
  }

  async getWorkspace(id: string): Promise<WorkspaceRecord | null> {
    const { rows } = await this.pool.query("SELECT * FROM workspaces WHERE id = $1", [id]);
    return rows[0] ? workspaceOf(rows[0]) : null;
  }

  async setMembership(m: MembershipRecord): Promise<void> {
    await this.pool.query(
      "INSERT INTO memberships (workspace_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT (workspace_id, user_id) DO UPDATE SET role = EXCLUDED.role",
      [m.workspaceId, m.userId, m.role]);
  }

  async getRole(workspaceId: string, userId: string): Promise<Role | null> {
    const { rows } = await this.pool.query<{ role: Role }>("SELECT role FROM memberships WHERE workspace_id = $1 AND user_id = $2", [workspaceId, userId]);
    return rows[0]?.role ?? null;
  }

  async listMembers(workspaceId: string): Promise<MembershipRecord[]> {
    const { rows } = await this.pool.query<{ user_id: string; role: Role }>("SELECT user_id, role FROM memberships WHERE workspace_id = $1 ORDER BY user_id", [workspaceId]);
    return rows.map((r) => ({ workspaceId, userId: r.user_id, role: r.role }));
  }

  async listWorkspacesOf(userId: string): Promise<(WorkspaceRecord & { role: Role })[]> {
    const { rows } = await this.pool.query(
      `SELECT w.*, m.role FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
       WHERE m.user_id = $1 ORDER BY w.created_at, w.id COLLATE "C"`, [userId]);
    return rows.map((r) => ({ ...workspaceOf(r), role: r.role as Role }));
  }

  async createConversation(c: ConversationRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO conversations (workspace_id, id, title, persona, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (workspace_id, id) DO UPDATE SET title = EXCLUDED.title, persona = EXCLUDED.persona,
         created_by = EXCLUDED.created_by, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at`,
      [c.workspaceId, c.id, c.title, c.persona, c.createdBy, c.createdAt, c.updatedAt]);
  }

  async getConversation(workspaceId: string, id: string): Promise<ConversationRecord | null> {
    const { rows } = await this.pool.query<ConversationRow>("SELECT * FROM conversations WHERE workspace_id = $1 AND id = $2", [workspaceId, id]);
    return rows[0] ? conversationOf(rows[0]) : null;
  }

  async updateConversation(workspaceId: string, id: string, patch: Partial<Pick<ConversationRecord, "title" | "persona" | "updatedAt">>): Promise<void> {
    await this.pool.query(
      `UPDATE conversations SET title = coalesce($3, title), persona = coalesce($4, persona), updated_at = coalesce($5, updated_at)
       WHERE workspace_id = $1 AND id = $2`,
      [workspaceId, id, patch.title ?? null, patch.persona ?? null, patch.updatedAt ?? null]);
  }

  async listConversations(workspaceId: string): Promise<ConversationRecord[]> {
    const { rows } = await this.pool.query<ConversationRow>(
      `SELECT * FROM conversations WHERE workspace_id = $1 ORDER BY updated_at DESC, id COLLATE "C"`, [workspaceId]);
    return rows.map(conversationOf);
  }

  async deleteConversation(workspaceId: string, id: string): Promise<void> {
    await this.pool.query("DELETE FROM conversations WHERE workspace_id = $1 AND id = $2", [workspaceId, id]);
  }

  async putPersona(p: PersonaRecord): Promise<void> {
    await this.pool.query(
      `INSERT INTO personas (workspace_id, id, name, color, system_prompt, starters, model, temperature, created_by, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (workspace_id, id) DO UPDATE SET name = EXCLUDED.name, color = EXCLUDED.color, system_prompt = EXCLUDED.system_prompt,
         starters = EXCLUDED.starters, model = EXCLUDED.model, temperature = EXCLUDED.temperature,
         created_by = EXCLUDED.created_by, created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at`,
      [p.workspaceId, p.id, p.name, p.color, p.systemPrompt, JSON.stringify(p.starters), p.model ?? null, p.temperature ?? null, p.createdBy, p.createdAt, p.updatedAt]);
  }

  async getPersona(workspaceId: string, id: string): Promise<PersonaRecord | null> {
    const { rows } = await this.pool.query<PersonaRow>("SELECT * FROM personas WHERE workspace_id = $1 AND id = $2", [workspaceId, id]);
    return rows[0] ? personaOf(rows[0]) : null;
  }

  async listPersonas(workspaceId: string): Promise<PersonaRecord[]> {
    const { rows } = await this.pool.query<PersonaRow>(`SELECT * FROM personas WHERE workspace_id = $1 ORDER BY created_at, id COLLATE "C"`, [workspaceId]);
    return rows.map(personaOf);
  }

  async deletePersona(workspaceId: string, id: string): Promise<void> {
    await this.pool.query("DELETE FROM personas WHERE workspace_id = $1 AND id = $2", [workspaceId, id]);
  }

  async claimOnce(key: string, owner: string): Promise<boolean> {
    const { rowCount } = await this.pool.query("INSERT INTO claims (key, owner) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING", [key, owner]);
    return rowCount === 1;
  }

  async ping(): Promise<void> {
    await this.pool.query("SELECT 1");
  }

  async close(): Promise<void> {
    await Promise.all([...this.compactions]);
    await this.pool.end();
  }

  private transaction<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.pool, fn);
  }
}
