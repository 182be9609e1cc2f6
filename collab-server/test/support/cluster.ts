// The scale-out topology of docker-compose.yml, mirrored for tests: instances sharing one
// PostgreSQL schema and one Redis, each with its own data dir, behind a TCP balancer.
import { randomBytes } from "node:crypto";
import pg from "pg";

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** Environment for every instance of one test cluster (a fresh schema). */
export function clusterEnv(redisUrl = TEST_REDIS_URL): { DATABASE_URL: string; DATABASE_SCHEMA: string; REDIS_URL: string; REDIS_PREFIX: string; JWT_SECRET: string } {
  return {
    DATABASE_URL: TEST_DATABASE_URL,
    DATABASE_SCHEMA: `junokit_c_${randomBytes(6).toString("hex")}`,
    REDIS_URL: redisUrl,
    // Each test cluster has its own channels and limit counters in the shared Redis.
    REDIS_PREFIX: `junokit-t-${randomBytes(6).toString("hex")}`,
    JWT_SECRET: randomBytes(32).toString("hex"),
  };
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
}
