// PostgreSQL search index: the search contract against the real server on this machine
// (127.0.0.1:5432, database `test`), each test in a schema of its own, plus what only a
// shared, persistent index has to prove.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { openPostgresStore } from "../storage";
import { editDistance, openPostgresSearchIndex, type PostgresSearchIndex } from "./postgres-index";
import { conversation, describeSearchIndexContract } from "./search-index.contract";

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schemas: string[] = [];

async function sql<T extends pg.QueryResultRow = any>(text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** A fresh schema migrated by the store (which owns the migrations), its store closed again. */
async function migratedSchema(): Promise<string> {
  const schema = `junokit_s_${randomBytes(6).toString("hex")}`;
  schemas.push(schema);
  await (await openPostgresStore(TEST_DATABASE_URL, { schema })).close();
  return schema;
}

const open = (schema: string) => openPostgresSearchIndex(TEST_DATABASE_URL, { schema });

describeSearchIndexContract("PostgreSQL", async () => {
  const schema = await migratedSchema();
  const index = await open(schema);
  return {
    index,
    typoTolerant: index.typoTolerant,
    cleanup: async () => {
      await index.close();
      await sql(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    },
  };
});

describe("PostgreSQL search index", () => {
  afterAll(async () => {
    for (const s of schemas) await sql(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
  });

  async function pair(): Promise<[PostgresSearchIndex, PostgresSearchIndex, string]> {
    const schema = await migratedSchema();
    return [await open(schema), await open(schema), schema];
  }

  it("SRCH-6 two instances share one index: what one puts or removes, the other finds or no longer finds", async () => {
    const [a, b] = await pair();
    try {
      await a.put(conversation("c1", ["the lighthouse keeper"], { updatedAt: 2 }));
      expect(await b.search("w1", "lighthouse", 10)).toMatchObject([{ messageId: "c1-m0" }]);
      expect(await b.versions("w1")).toEqual(new Map([["c1", 2]]));
      // An edit of old text (same time) is exact on the other instance too.
      await a.put(conversation("c1", ["the harbour master"], { updatedAt: 2 }));
      expect(await b.search("w1", "lighthouse", 10)).toEqual([]);
      expect(await b.search("w1", "harbour", 10)).toHaveLength(1);
      await b.remove("w1", "c1");
      expect(await a.search("w1", "harbour", 10)).toEqual([]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("SRCH-6 the index survives closing and reopening (no rebuild after a restart)", async () => {
    const [a, b, schema] = await pair();
    await b.close();
    await a.put(conversation("c1", ["persistent narwhal"], { updatedAt: 9 }));
    await a.close();
    const again = await open(schema);
    try {
      expect(await again.versions("w1")).toEqual(new Map([["c1", 9]]));
      expect(await again.search("w1", "narwhal", 10)).toHaveLength(1);
    } finally {
      await again.close();
    }
  });

  it("SRCH-6 concurrent puts of one conversation from two instances end in one consistent copy", async () => {
    const [a, b, schema] = await pair();
    try {
      const versions = Array.from({ length: 10 }, (_, v) => conversation("c1", Array.from({ length: 20 }, (_, i) => `word${v} message ${i}`), { updatedAt: v }));
      await Promise.all(versions.map((c, v) => (v % 2 ? a : b).put(c)));
      const final = versions.at(-1)!;
      await a.put(final);
      const rows = await sql(`SELECT count(*)::int AS n FROM ${schema}.search_entries`);
      expect(rows[0].n).toBe(21);
      const hits = await b.search("w1", "message", 50);
      expect(hits.map((h) => h.snippet.split(" ")[0])).toEqual(Array(20).fill("word9"));
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("SRCH-6 the workspace vocabulary counts stay exact when two instances put and remove conversations at once", async () => {
    const [a, b, schema] = await pair();
    try {
      const shared = ["alpha", "bravo", "charlie"];
      const jobs = Array.from({ length: 12 }, (_, i) => {
        const texts = [`${shared[i % 3]} unique${i} common`, `${shared[(i + 1) % 3]} common`];
        return (i % 2 ? a : b).put(conversation(`c${i % 6}`, texts, { updatedAt: i }));
      });
      await Promise.all(jobs);
      await Promise.all([a.remove("w1", "c0"), b.remove("w1", "c1"), a.put(conversation("c2", ["delta only"]))]);
      // Both counts agree with the entries themselves.
      const words = await sql(`SELECT conversation_id, word, entries FROM ${schema}.search_words ORDER BY 1, 2`);
      expect(words).toEqual(await sql(
        `SELECT e.conversation_id, u.lexeme AS word, count(*)::int AS entries FROM ${schema}.search_entries e, unnest(e.tsv) AS u
         WHERE length(u.lexeme) >= 2 GROUP BY 1, 2 ORDER BY 1, 2`));
      const counted = await sql(`SELECT word, conversations FROM ${schema}.search_vocabulary ORDER BY word`);
      expect(counted).toEqual(await sql(`SELECT word, count(*)::int AS conversations FROM ${schema}.search_words GROUP BY word ORDER BY word`));
      expect(counted.find((r) => r.word === "common")?.conversations).toBe(3);
      expect(counted.find((r) => r.word === "delta")?.conversations).toBe(1);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it("SRCH-6 putting a conversation again rewrites only the entries that changed (a streaming reply)", async () => {
    const schema = await migratedSchema();
    const index = await open(schema);
    try {
      const c = conversation("c1", ["one", "two", "three stream"]);
      await index.put(c);
      const versionsOf = async () => new Map((await sql(`SELECT entry_id, xmin::text AS v FROM ${schema}.search_entries`)).map((r) => [r.entry_id, r.v]));
      const before = await versionsOf();
      c.messages[2] = { ...c.messages[2]!, text: "three streaming reply" };
      await index.put(c);
      const after = await versionsOf();
      const rewritten = [...after.keys()].filter((id) => after.get(id) !== before.get(id));
      expect(rewritten).toEqual(["m/c1-m2"]);
      await index.put(c);
      expect(await versionsOf()).toEqual(after);
      const counts = await sql(`SELECT word, entries FROM ${schema}.search_words WHERE word IN ('three', 'stream', 'streaming', 'reply') ORDER BY word`);
      expect(counts).toEqual([{ word: "reply", entries: 1 }, { word: "streaming", entries: 1 }, { word: "three", entries: 1 }]);
    } finally {
      await index.close();
    }
  });

  it("SRCH-6 the typo vocabulary follows the text: a word gone from every entry no longer corrects a query", async (ctx) => {
    const schema = await migratedSchema();
    const index = await open(schema);
    if (!index.typoTolerant) {
      await index.close();
      return ctx.skip("pg_trgm is not installed");
    }
    try {
      await index.put(conversation("c1", ["gardening tips", "gardening again"]));
      await index.put(conversation("c2", ["gardening elsewhere"]));
      expect(await index.search("w1", "gardneing", 10)).toHaveLength(3);
      await index.put(conversation("c1", ["cooking tips", "cooking again"]));
      const vocabulary = () => sql(`SELECT word, conversations FROM ${schema}.search_vocabulary WHERE word IN ('gardening', 'cooking') ORDER BY word`);
      expect(await vocabulary()).toEqual([{ word: "cooking", conversations: 1 }, { word: "gardening", conversations: 1 }]);
      const words = await sql(`SELECT conversation_id FROM ${schema}.search_words WHERE word = 'gardening'`);
      expect(words.map((w) => w.conversation_id)).toEqual(["c2"]);
      await index.remove("w1", "c2");
      expect(await vocabulary()).toEqual([{ word: "cooking", conversations: 1 }]);
      expect(await index.search("w1", "gardneing", 10)).toEqual([]);
      expect(await index.search("w1", "cookign", 10)).toHaveLength(2);
    } finally {
      await index.close();
    }
  });

  it("SRCH-6 pg_trgm lives in `public`, so dropping one JunoKit schema leaves it to the others", async () => {
    const first = await migratedSchema();
    const second = await migratedSchema();
    const [ext] = await sql("SELECT extnamespace::regnamespace::text AS schema FROM pg_extension WHERE extname = 'pg_trgm'");
    expect(ext?.schema).toBe("public");
    await sql(`DROP SCHEMA ${first} CASCADE`);
    const index = await open(second);
    try {
      expect(index.typoTolerant).toBe(true);
      await index.put(conversation("c1", ["database"]));
      expect(await index.search("w1", "databse", 10)).toHaveLength(1);
      const [trgm] = await sql(`SELECT to_regclass('${second}.search_vocabulary_trigrams') IS NOT NULL AS present`);
      expect(trgm.present).toBe(true);
    } finally {
      await index.close();
    }
  });

  it("SRCH-6 refuses to open on a schema the store has not migrated, naming what to do", async () => {
    const schema = `junokit_s_${randomBytes(6).toString("hex")}`;
    await expect(open(schema)).rejects.toThrow(/no search tables in schema .*open the PostgreSQL store first/);
    await expect(openPostgresSearchIndex(TEST_DATABASE_URL, { schema: "Bad; DROP" })).rejects.toThrow(/invalid schema name/);
  });

  it("edit distance counts insertions, deletions and substitutions, and stops past the bound", () => {
    expect(editDistance("databse", "database", 2)).toBe(1);
    expect(editDistance("migraton", "migration", 2)).toBe(1);
    expect(editDistance("sofa", "sxfx", 1)).toBe(2);
    expect(editDistance("kitten", "sitting", 3)).toBe(3);
    expect(editDistance("a", "abcdef", 2)).toBe(3);
    expect(editDistance("same", "same", 0)).toBe(0);
  });
});
