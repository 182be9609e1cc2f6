// The PostgreSQL SearchIndex (SPEC SRCH-6): one row per title, message and notes in tables
// every instance shares, matched with full-text search ('simple' configuration over words that
// words.ts has already folded), ranked with ts_rank_cd, typo-tolerant through pg_trgm.
// Snippets and highlights come from the stored text through snippets.ts, like MiniSearch's.
import { createHash } from "node:crypto";
import pg from "pg";
import { createLogger, type Logger } from "../log";
import { inTransaction } from "../storage";
import { makeSnippet, MAX_QUERY_TERMS, normalizeWord, SEARCH_KIND_BOOST as KIND_BOOST, words } from "@junokit/doc-model";
import type { ConversationText, SearchHit, SearchIndex, SearchKind } from "./types";

export interface PostgresSearchIndexOptions {
  /** The schema the store migrated (the tables come from its migration 2). */
  schema?: string;
  logger?: Logger;
  poolSize?: number;
}

export interface PostgresSearchIndex extends SearchIndex {
  /** Whether pg_trgm is installed, so queries tolerate typos. */
  readonly typoTolerant: boolean;
  close(): Promise<void>;
}

/** Longer texts are indexed by their beginning only (as MiniSearch does). */
const MAX_INDEXED_CHARS = 200_000;
/** Trigram similarity a vocabulary word needs to be considered a typo of a query word. */
const TYPO_SIMILARITY = 0.2;
/** Per query word, at most this many vocabulary words are tried as corrections. */
const MAX_CORRECTIONS = 10;
/** First keys of this index's advisory locks: one conversation; one workspace's vocabulary. */
const CONVERSATION_LOCK = 7_447_002;
const VOCABULARY_LOCK = 7_447_003;

interface Row {
  entryId: string;
  kind: SearchKind;
  messageId: string | null;
  authorName: string | null;
  createdAt: number | null;
  body: string;
}

/** Connects to the store's schema (already migrated by openPostgresStore) and checks for pg_trgm. */
export async function openPostgresSearchIndex(connectionString: string, opts: PostgresSearchIndexOptions = {}): Promise<PostgresSearchIndex> {
  const schema = opts.schema ?? "public";
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  const logger = opts.logger ?? createLogger("silent");
  const pool = new pg.Pool({
    connectionString,
    max: opts.poolSize ?? 4,
    connectionTimeoutMillis: 5_000,
    // The threshold is read by pg_trgm's % operator (a placeholder until the library loads).
    options: `-c search_path=${schema} -c pg_trgm.similarity_threshold=${TYPO_SIMILARITY}`,
  });
  pool.on("error", (err) => logger.error({ err }, "PostgreSQL connection error (search)"));
  try {
    const { rows } = await pool.query<{ schema: string | null; tables: boolean }>(
      `SELECT (SELECT n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_trgm') AS schema,
              to_regclass('search_entries') IS NOT NULL AS tables`);
    if (!rows[0]!.tables) throw new Error(`no search tables in schema ${schema}; open the PostgreSQL store first (it migrates)`);
    const trgm = rows[0]!.schema;
    if (!trgm) logger.warn("pg_trgm is not installed: PostgreSQL search finds prefixes but does not tolerate typos");
    return createIndex(pool, trgm, logger);
  } catch (error) {
    await pool.end();
    throw error;
  }
}

function createIndex(pool: pg.Pool, trgmSchema: string | null, logger: Logger): PostgresSearchIndex {
  const trgm = trgmSchema && pg.escapeIdentifier(trgmSchema);

  const transaction = <T>(fn: (client: pg.PoolClient) => Promise<T>) => inTransaction(pool, fn);

  /** Vocabulary words of the workspace within MiniSearch's typo distance of each query word. */
  async function corrections(workspaceId: string, terms: string[]): Promise<Map<string, string[]>> {
    const found = new Map<string, string[]>();
    const fuzzy = terms.filter((t) => typoDistance(t) > 0);
    if (!trgm || fuzzy.length === 0) return found;
    const { rows } = await pool.query<{ term: string; word: string }>(
      `SELECT t.term, c.word FROM unnest($2::text[]) AS t(term)
       CROSS JOIN LATERAL (
         SELECT v.word FROM search_vocabulary v
         WHERE v.workspace_id = $1 AND v.word OPERATOR(${trgm}.%) t.term AND abs(length(v.word) - length(t.term)) <= 2
         ORDER BY ${trgm}.similarity(v.word, t.term) DESC LIMIT 50) c`,
      [workspaceId, fuzzy]);
    for (const term of fuzzy) {
      const close = rows
        .filter((r) => r.term === term && !r.word.startsWith(term))
        .map((r) => ({ word: r.word, distance: editDistance(term, r.word, typoDistance(term)) }))
        .filter((c) => c.distance <= typoDistance(term))
        .sort((a, b) => a.distance - b.distance)
        .slice(0, MAX_CORRECTIONS)
        .map((c) => c.word);
      if (close.length > 0) found.set(term, close);
    }
    return found;
  }

  async function ranked(workspaceId: string, terms: string[], typos: Map<string, string[]>, all: boolean, limit: number) {
    const alternatives = terms.map((t) => alternativesOf(t, typos.get(t) ?? []));
    const join = all ? " & " : " | ";
    // Any word may match: rank first by how many of them do (as MiniSearch's fallback does).
    const parts = all ? [] : alternatives;
    const { rows } = await pool.query<{
      conversation_id: string; entry_id: string; kind: SearchKind; message_id: string | null; author_name: string | null;
      created_at: number | null; body: string; doc_name: string; title: string; score: number;
    }>(
      `WITH top AS (
         SELECT e.conversation_id, e.entry_id,
                (SELECT count(*) FROM unnest($4::text[]) AS p WHERE e.tsv @@ to_tsquery('simple', p)) AS matched,
                (ts_rank_cd('{1,1,1,1}', e.tsv, to_tsquery('simple', $2), 1) + ts_rank_cd('{1,1,1,1}', e.tsv, to_tsquery('simple', $3), 1))
                  * CASE e.kind WHEN 'title' THEN ${KIND_BOOST.title} WHEN 'notes' THEN ${KIND_BOOST.notes} ELSE ${KIND_BOOST.message} END AS score,
                e.created_at
         FROM search_entries e
         WHERE e.workspace_id = $1 AND e.tsv @@ to_tsquery('simple', $2)
         ORDER BY matched DESC, score DESC, e.created_at DESC NULLS LAST, e.conversation_id, e.entry_id
         LIMIT $5)
       SELECT e.conversation_id, e.entry_id, e.kind, e.message_id, e.author_name, e.created_at, e.body, c.doc_name, c.title, top.score
       FROM top
       JOIN search_entries e ON e.workspace_id = $1 AND e.conversation_id = top.conversation_id AND e.entry_id = top.entry_id
       JOIN search_conversations c ON c.workspace_id = $1 AND c.conversation_id = top.conversation_id
       ORDER BY top.matched DESC, top.score DESC, top.created_at DESC NULLS LAST, top.conversation_id, top.entry_id`,
      [workspaceId, alternatives.join(join), terms.map(quoted).join(join), parts, limit]);
    return rows;
  }

  return {
    typoTolerant: Boolean(trgm),

    async put(c) {
      const rows = rowsOf(c);
      await transaction(async (client) => {
        await lockConversation(client, c.workspaceId, c.conversationId);
        await client.query(
          `INSERT INTO search_conversations (workspace_id, conversation_id, doc_name, title, updated_at) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (workspace_id, conversation_id) DO UPDATE SET doc_name = EXCLUDED.doc_name, title = EXCLUDED.title, updated_at = EXCLUDED.updated_at`,
          [c.workspaceId, c.conversationId, c.docName, storable(c.title), c.updatedAt]);
        const { rows: stored } = await client.query<{ entry_id: string; fingerprint: string; created_at: number | null }>(
          `SELECT entry_id, md5(concat_ws(chr(1), kind, message_id, author_name, body)) AS fingerprint, created_at
           FROM search_entries WHERE workspace_id = $1 AND conversation_id = $2`,
          [c.workspaceId, c.conversationId]);
        const before = new Map(stored.map((r) => [r.entry_id, `${r.fingerprint}@${r.created_at}`]));
        // Only changed entries are written: a streaming reply rewrites one row, not the conversation.
        const changed = rows.filter((r) => before.get(r.entryId) !== `${fingerprint(r)}@${r.createdAt}`);
        const kept = new Set(rows.map((r) => r.entryId));
        const gone = [...before.keys()].filter((id) => !kept.has(id));
        if (changed.length === 0 && gone.length === 0) return;
        const replaced = await wordsOf(client, c.workspaceId, c.conversationId, [...changed.map((r) => r.entryId), ...gone]);
        const written = changed.length > 0 ? await upsert(client, c, changed) : [];
        if (gone.length > 0) {
          await client.query("DELETE FROM search_entries WHERE workspace_id = $1 AND conversation_id = $2 AND entry_id = ANY($3::text[])",
            [c.workspaceId, c.conversationId, gone]);
        }
        await countWords(client, c.workspaceId, c.conversationId, wordChanges(replaced, written));
      });
    },

    async remove(workspaceId, conversationId) {
      await transaction(async (client) => {
        await lockConversation(client, workspaceId, conversationId);
        // Its words leave the vocabulary; its rows go with the conversation (cascade).
        const { rows } = await client.query<{ word: string }>(
          "SELECT word FROM search_words WHERE workspace_id = $1 AND conversation_id = $2", [workspaceId, conversationId]);
        await countVocabulary(client, workspaceId, [], rows.map((r) => r.word));
        await client.query("DELETE FROM search_conversations WHERE workspace_id = $1 AND conversation_id = $2", [workspaceId, conversationId]);
      });
    },

    async versions(workspaceId) {
      const { rows } = await pool.query<{ conversation_id: string; updated_at: number }>(
        "SELECT conversation_id, updated_at FROM search_conversations WHERE workspace_id = $1", [workspaceId]);
      return new Map(rows.map((r) => [r.conversation_id, r.updated_at]));
    },

    async search(workspaceId, query, limit) {
      const terms = queryTerms(query);
      if (terms.length === 0) return [];
      const typos = await corrections(workspaceId, terms);
      // Every word must match; when nothing does, fall back to any word.
      let rows = await ranked(workspaceId, terms, typos, true, limit);
      if (rows.length === 0 && terms.length > 1) rows = await ranked(workspaceId, terms, typos, false, limit);
      return rows.map((r) => {
        const { snippet, highlights } = makeSnippet(r.body, matchedWords(r.body, terms, typos));
        const hit: SearchHit = {
          conversationId: r.conversation_id, docName: r.doc_name, title: r.title, kind: r.kind,
          snippet, highlights, score: Math.round(r.score * 1000) / 1000,
        };
        if (r.message_id !== null) {
          Object.assign(hit, { messageId: r.message_id, authorName: r.author_name ?? "", createdAt: r.created_at ?? 0 });
        }
        return hit;
      });
    },

    async close() {
      await pool.end();
      logger.debug("PostgreSQL search index closed");
    },
  };
}

/** The rows a conversation is indexed as: its title, each non-blank message once, its notes. */
function rowsOf(c: ConversationText): Row[] {
  const out: Row[] = [{ entryId: "title", kind: "title", messageId: null, authorName: null, createdAt: null, body: storable(c.title) }];
  const seen = new Set<string>();
  for (const m of c.messages) {
    // A message id repeated by a misbehaving client is indexed once.
    if (seen.has(m.id) || !m.text.trim()) continue;
    seen.add(m.id);
    out.push({
      entryId: `m/${m.id}`, kind: "message", messageId: m.id, authorName: storable(m.authorName), createdAt: m.createdAt,
      body: storable(m.text.slice(0, MAX_INDEXED_CHARS)),
    });
  }
  if (c.notes.trim()) out.push({ entryId: "notes", kind: "notes", messageId: null, authorName: null, createdAt: null, body: storable(c.notes.slice(0, MAX_INDEXED_CHARS)) });
  return out;
}

/** Writes the rows; returns the words (lexemes) each now holds. */
async function upsert(client: pg.PoolClient, c: ConversationText, rows: Row[]): Promise<string[][]> {
  const { rows: written } = await client.query<{ words: string[] }>(
    `INSERT INTO search_entries (workspace_id, conversation_id, entry_id, kind, message_id, author_name, created_at, body, terms)
     SELECT $1, $2, r.* FROM unnest($3::text[], $4::text[], $5::text[], $6::text[], $7::float8[], $8::text[], $9::text[]) AS r
     ON CONFLICT (workspace_id, conversation_id, entry_id) DO UPDATE SET kind = EXCLUDED.kind, message_id = EXCLUDED.message_id,
       author_name = EXCLUDED.author_name, created_at = EXCLUDED.created_at, body = EXCLUDED.body, terms = EXCLUDED.terms
     RETURNING tsvector_to_array(tsv) AS words`,
    [c.workspaceId, c.conversationId, rows.map((r) => r.entryId), rows.map((r) => r.kind), rows.map((r) => r.messageId),
      rows.map((r) => r.authorName), rows.map((r) => r.createdAt), rows.map((r) => r.body), rows.map((r) => termsOf(r.body))]);
  return written.map((r) => r.words);
}

/** The words (lexemes) each of these stored entries holds, before they are rewritten or deleted. */
async function wordsOf(client: pg.PoolClient, workspaceId: string, conversationId: string, entryIds: string[]): Promise<string[][]> {
  const { rows } = await client.query<{ words: string[] }>(
    "SELECT tsvector_to_array(tsv) AS words FROM search_entries WHERE workspace_id = $1 AND conversation_id = $2 AND entry_id = ANY($3::text[])",
    [workspaceId, conversationId, entryIds]);
  return rows.map((r) => r.words);
}

/** Per word, how many more (or fewer) entries hold it; words under 2 characters never correct a typo. */
function wordChanges(before: string[][], after: string[][]): Map<string, number> {
  const changes = new Map<string, number>();
  const add = (entries: string[][], step: number) => {
    for (const words of entries) for (const w of words) if (w.length >= 2) changes.set(w, (changes.get(w) ?? 0) + step);
  };
  add(before, -1);
  add(after, 1);
  for (const [w, n] of changes) if (n === 0) changes.delete(w);
  return changes;
}

/** Instances indexing the same conversation take turns (two int keys: not the store's key space). */
async function lockConversation(client: pg.PoolClient, workspaceId: string, conversationId: string): Promise<void> {
  await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2 || '/' || $3))", [CONVERSATION_LOCK, workspaceId, conversationId]);
}

/**
 * Counts, per word, the conversation's entries holding it (so a put costs what changed, not the
 * conversation's size); a word the conversation gains or loses is counted into or out of the
 * workspace's vocabulary (typo candidates).
 */
async function countWords(client: pg.PoolClient, workspaceId: string, conversationId: string, changes: Map<string, number>): Promise<void> {
  if (changes.size === 0) return;
  const { rows } = await client.query<{ word: string; entries: number }>(
    `INSERT INTO search_words (workspace_id, conversation_id, word, entries) SELECT $1, $2, w, n FROM unnest($3::text[], $4::int[]) AS c(w, n)
     ON CONFLICT (workspace_id, conversation_id, word) DO UPDATE SET entries = search_words.entries + EXCLUDED.entries
     RETURNING word, entries`,
    [workspaceId, conversationId, [...changes.keys()], [...changes.values()]]);
  const counted = rows.map((r) => ({ word: r.word, after: r.entries, before: r.entries - changes.get(r.word)! }));
  const empty = counted.filter((c) => c.after <= 0).map((c) => c.word);
  if (empty.length > 0) {
    await client.query("DELETE FROM search_words WHERE workspace_id = $1 AND conversation_id = $2 AND word = ANY($3::text[])", [workspaceId, conversationId, empty]);
  }
  await countVocabulary(client, workspaceId,
    counted.filter((c) => c.before <= 0 && c.after > 0).map((c) => c.word),
    counted.filter((c) => c.before > 0 && c.after <= 0).map((c) => c.word));
}

/**
 * Counts conversations into and out of the workspace's vocabulary; a word with none leaves it.
 * Takes the workspace's lock, after the conversation's (one order for everyone: no deadlock),
 * so concurrent counts of one word never interleave.
 */
async function countVocabulary(client: pg.PoolClient, workspaceId: string, gained: string[], lost: string[]): Promise<void> {
  if (gained.length === 0 && lost.length === 0) return;
  await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [VOCABULARY_LOCK, workspaceId]);
  const { rows } = await client.query<{ word: string; conversations: number }>(
    `INSERT INTO search_vocabulary (workspace_id, word, conversations)
     SELECT $1, word, sum(change) FROM (SELECT unnest($2::text[]) AS word, 1 AS change UNION ALL SELECT unnest($3::text[]), -1) AS d
     GROUP BY word
     ON CONFLICT (workspace_id, word) DO UPDATE SET conversations = search_vocabulary.conversations + EXCLUDED.conversations
     RETURNING word, conversations`,
    [workspaceId, gained, lost]);
  const unused = rows.filter((r) => r.conversations <= 0).map((r) => r.word);
  if (unused.length > 0) {
    await client.query("DELETE FROM search_vocabulary WHERE workspace_id = $1 AND word = ANY($2::text[]) AND conversations <= 0", [workspaceId, unused]);
  }
}

/** PostgreSQL text cannot hold NUL; it separates words anyway (SPEC SRCH-5). */
function storable(text: string): string {
  return text.replaceAll("\u0000", " ");
}

/** The same fingerprint PostgreSQL computes over a stored row (md5 of the UTF-8 bytes). */
function fingerprint(r: Row): string {
  const fields = [r.kind, r.messageId, r.authorName, r.body];
  return createHash("md5").update(fields.filter((f) => f !== null).join("\u0001"), "utf8").digest("hex");
}

/** The words of a text as the index compares them (words.ts), space-separated. */
function termsOf(text: string): string {
  return words(text).map(normalizeWord).filter((w): w is string => w !== null).join(" ");
}

/** The query's first 12 words, folded like indexed words, without repeats (SPEC SRCH-5). */
function queryTerms(query: string): string[] {
  return [...new Set(words(query).slice(0, MAX_QUERY_TERMS).map(normalizeWord).filter((w): w is string => w !== null))];
}

/** A tsquery operand for one word; quoting makes every character a literal. */
function quoted(term: string): string {
  return `'${term.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
}

/** One query word as a tsquery: itself, as a prefix when 2+ characters long, or a close vocabulary word. */
function alternativesOf(term: string, typos: string[]): string {
  const options = [term.length >= 2 ? `${quoted(term)}:*` : quoted(term), ...typos.map(quoted)];
  return options.length === 1 ? options[0]! : `(${options.join(" | ")})`;
}

/** MiniSearch's rule (SPEC SRCH-1): words of 4+ characters allow a quarter of their length in edits, at most 2. */
function typoDistance(term: string): number {
  return term.length >= 4 ? Math.min(2, Math.round(term.length * 0.25)) : 0;
}

/** Levenshtein distance, or max + 1 as soon as it must exceed max. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    if (Math.min(...current) > max) return max + 1;
    previous = current;
  }
  return previous[b.length]!;
}

/** The words of `text` the query matched, as snippets.ts expects them (folded). */
function matchedWords(text: string, terms: string[], typos: Map<string, string[]>): Set<string> {
  const corrections = new Set([...typos.values()].flat());
  const matched = new Set<string>();
  for (const word of words(text)) {
    const folded = normalizeWord(word);
    if (folded === null || matched.has(folded)) continue;
    if (corrections.has(folded) || terms.some((t) => folded === t || (t.length >= 2 && folded.startsWith(t)))) matched.add(folded);
  }
  return matched;
}
