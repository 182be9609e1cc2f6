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
  // 2: the full-text search index (collab-server/src/search/postgres-index.ts, SPEC SRCH-6).
  // One row per searchable unit; times are any finite number a document holds (double).
  // `terms` holds the words already case- and accent-folded by words.ts, so the
  // language-neutral 'simple' configuration only has to split them. Each conversation's words
  // (with how many of its entries hold them), counted into one vocabulary per workspace
  // (with how many conversations hold them), feed typo tolerance through pg_trgm when the
  // extension can be created; it goes into `public` so that dropping one JunoKit schema never
  // drops it for the others.
  `CREATE TABLE search_conversations (
     workspace_id text NOT NULL,
     conversation_id text NOT NULL,
     doc_name text NOT NULL,
     title text NOT NULL,
     updated_at double precision NOT NULL,
     PRIMARY KEY (workspace_id, conversation_id)
   );
   CREATE TABLE search_entries (
     workspace_id text NOT NULL,
     conversation_id text NOT NULL,
     entry_id text NOT NULL,
     kind text NOT NULL CHECK (kind IN ('message', 'notes', 'title')),
     message_id text,
     author_name text,
     created_at double precision,
     body text NOT NULL,
     terms text NOT NULL,
     tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, terms)) STORED,
     PRIMARY KEY (workspace_id, conversation_id, entry_id),
     FOREIGN KEY (workspace_id, conversation_id) REFERENCES search_conversations ON DELETE CASCADE
   );
   CREATE INDEX search_entries_tsv ON search_entries USING gin (tsv);
   CREATE TABLE search_words (
     workspace_id text NOT NULL,
     conversation_id text NOT NULL,
     word text NOT NULL,
     entries int NOT NULL,
     PRIMARY KEY (workspace_id, conversation_id, word),
     FOREIGN KEY (workspace_id, conversation_id) REFERENCES search_conversations ON DELETE CASCADE
   );
   CREATE TABLE search_vocabulary (
     workspace_id text NOT NULL,
     word text NOT NULL,
     conversations int NOT NULL,
     PRIMARY KEY (workspace_id, word)
   );
   DO $$
   DECLARE trgm_schema text;
   BEGIN
     BEGIN
       CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
     EXCEPTION WHEN OTHERS THEN
       BEGIN
         CREATE EXTENSION IF NOT EXISTS pg_trgm;
       EXCEPTION WHEN OTHERS THEN
         RAISE NOTICE 'pg_trgm is not available (%); search will not tolerate typos', SQLERRM;
       END;
     END;
     SELECT n.nspname INTO trgm_schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm';
     IF trgm_schema IS NOT NULL THEN
       EXECUTE format('CREATE INDEX search_vocabulary_trigrams ON search_vocabulary USING gin (word %I.gin_trgm_ops)', trgm_schema);
     END IF;
   END $$;`,
  // 3: a workspace's custom personas (SPEC AI-19, STO-12).
  `CREATE TABLE personas (
     workspace_id text NOT NULL,
     id text NOT NULL,
     name text NOT NULL,
     color text NOT NULL,
     system_prompt text NOT NULL,
     starters jsonb NOT NULL,
     model text,
     temperature double precision,
     created_by text NOT NULL,
     created_at bigint NOT NULL,
     updated_at bigint NOT NULL,
     PRIMARY KEY (workspace_id, id)
   );`,
];

// An arbitrary constant shared by every JunoKit instance: the key of the migration lock.
export const MIGRATION_LOCK = 7_447_001;
