// Schema migrations for the PostgreSQL store, applied in order on start under an advisory lock,
// so several instances starting together migrate exactly once.
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE users (
     id text PRIMARY KEY,
     username text NOT NULL UNIQUE,
     display_name text NOT NULL,
     password_hash text NOT NULL,
     created_at bigint NOT NULL
   );
   CREATE TABLE workspaces (
     id text PRIMARY KEY,
     name text NOT NULL,
     created_by text NOT NULL,
     created_at bigint NOT NULL
   );
   CREATE TABLE memberships (
     workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
     user_id text NOT NULL,
     role text NOT NULL CHECK (role IN ('owner', 'editor', 'viewer')),
     PRIMARY KEY (workspace_id, user_id)
   );
   CREATE INDEX memberships_by_user ON memberships (user_id);
   CREATE TABLE conversations (
     workspace_id text NOT NULL,
     id text NOT NULL,
     title text NOT NULL,
     persona text NOT NULL,
     created_by text NOT NULL,
     created_at bigint NOT NULL,
     updated_at bigint NOT NULL,
     PRIMARY KEY (workspace_id, id)
   );
   CREATE INDEX conversations_by_activity ON conversations (workspace_id, updated_at DESC, id);
   CREATE TABLE document_updates (
     doc text NOT NULL,
     seq bigserial NOT NULL,
     update bytea NOT NULL,
     PRIMARY KEY (doc, seq)
   );
   CREATE TABLE claims (
     key text PRIMARY KEY,
     owner text NOT NULL,
     claimed_at timestamptz NOT NULL DEFAULT now()
   );`,
];

// An arbitrary constant shared by every JunoKit instance: the key of the migration lock.
export const MIGRATION_LOCK = 7_447_001;
