// PostgreSQL store: the shared storage contract against the real server on this machine
// (127.0.0.1:5432, database `test`), each test in a schema of its own.
import pg from "pg";
import { randomBytes } from "node:crypto";
import { afterAll, describe, expect, it } from "vitest";
import { MIGRATIONS } from "./postgres-migrations";
import { openPostgresStore } from "./postgres-store";
import { describeStoreContract } from "./store.contract";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const schemas: string[] = [];

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}

function freshSchema(): string {
  const schema = `junokit_t_${randomBytes(6).toString("hex")}`;
  schemas.push(schema);
  return schema;
}

describeStoreContract("PostgreSQL", async () => {
  const schema = freshSchema();
  let store = await openPostgresStore(TEST_DATABASE_URL, { schema, compactAfter: 50 });
  return {
    store,
    reopen: async () => {
      await store.close();
      return (store = await openPostgresStore(TEST_DATABASE_URL, { schema, compactAfter: 50 }));
    },
    cleanup: async () => {
      await store.close();
      await dropSchema(schema);
    },
  };
});

describe("PostgreSQL store", () => {
  afterAll(async () => {
    for (const s of schemas) await dropSchema(s);
  });

  it("STO-11 two instances starting at once migrate exactly once", async () => {
    const schema = freshSchema();
    const stores = await Promise.all([1, 2, 3].map(() => openPostgresStore(TEST_DATABASE_URL, { schema })));
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    const { rows } = await client.query(`SELECT count(*)::int AS n FROM ${schema}.junokit_migrations`);
    await client.end();
    expect(rows[0].n).toBe(MIGRATIONS.length);
    await Promise.all(stores.map((s) => s.close()));
  });

  it("STO-11 an unreachable server fails at start with an error naming PostgreSQL's address", async () => {
    await expect(openPostgresStore("postgres://postgres@127.0.0.1:1/test", { schema: freshSchema() })).rejects.toThrow(/ECONNREFUSED|127\.0\.0\.1:1/);
  });

  it("STO-4 two instances appending to one document while both compact lose nothing", async () => {
    const schema = freshSchema();
    const [a, b] = await Promise.all([1, 2].map(() => openPostgresStore(TEST_DATABASE_URL, { schema, compactAfter: 7 })));
    const Y = await import("yjs");
    const docs = [new Y.Doc(), new Y.Doc()];
    const writes: Promise<void>[] = [];
    for (let i = 0; i < 60; i++) {
      const d = docs[i % 2]!;
      const store = i % 2 ? b! : a!;
      d.once("update", (u: Uint8Array) => writes.push(store.appendUpdate("doc", u)));
      d.getText("t").insert(0, `${i},`);
    }
    await Promise.all(writes);
    await Promise.all([a!.compactDocument("doc"), b!.compactDocument("doc")]);
    const rebuilt = new Y.Doc();
    for (const u of await a!.loadDocument("doc")) Y.applyUpdate(rebuilt, u);
    const expected = new Y.Doc();
    for (const d of docs) Y.applyUpdate(expected, Y.encodeStateAsUpdate(d));
    expect(rebuilt.getText("t").toString()).toBe(expected.getText("t").toString());
    expect(rebuilt.getText("t").toString().split(",").length).toBe(61);
    await Promise.all([a!.close(), b!.close()]);
  });
});
