import { Redis as RedisExtension } from "@hocuspocus/extension-redis";
import type { Extension } from "@hocuspocus/server";
import { Redis } from "ioredis";
import type { Logger } from "../log";
import { SERVER_ORIGIN } from "../collab";

export interface ClusterLink {
  /** Fans document updates and awareness out to the other instances. */
  extension: Extension;
  /** The shared Redis connection, for cluster-wide limits and locks. */
  redis: Redis;
  /** The namespace of every channel and key. */
  prefix: string;
  ping(): Promise<void>;
  close(): Promise<void>;
}

/** `redis://user:secret@host:6379/0` → `redis://host:6379/0`, for messages and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = "";
    u.password = "";
    return u.toString();
  } catch {
    return "(unparseable URL)";
  }
}

/**
 * Joins the cluster through Redis. Fails fast, naming Redis and its address, when it cannot be
 * reached at start; afterwards ioredis reconnects by itself, and on every reconnect each
 * loaded document announces its state again, because pub/sub drops what was sent meanwhile.
 */
export async function joinCluster(redisUrl: string, prefix: string, instanceId: string, logger: Logger): Promise<ClusterLink> {
  const where = redactUrl(redisUrl);
  const redis = new Redis(redisUrl, { lazyConnect: true, connectTimeout: 3_000, maxRetriesPerRequest: 3 });
  redis.on("error", (err) => logger.warn({ err: err.message, redis: where }, "Redis connection problem"));
  try {
    await redis.connect();
    await redis.ping();
  } catch (error) {
    redis.disconnect();
    throw new Error(`Redis at ${where} is unreachable (${(error as Error).message}); check REDIS_URL and that Redis is running`);
  }

  const extension = new RedisExtension({ redis, identifier: instanceId, prefix });
  for (const connection of [extension.pub, extension.sub]) {
    connection.on("error", (err: Error) => logger.warn({ err: err.message, redis: where }, "Redis connection problem"));
  }
  let subscribedBefore = false;
  const resync = () => {
    if (!subscribedBefore) {
      subscribedBefore = true; // the first "ready" is the start itself
      return;
    }
    const documents = extension.instance?.documents ?? new Map();
    logger.info({ documents: documents.size, redis: where }, "Redis is back; resynchronising loaded documents");
    for (const [documentName, document] of documents) {
      void extension.onChange({ documentName, document, transactionOrigin: SERVER_ORIGIN } as never);
    }
  };
  // Every instance announces its state when its subscriber is back; whichever comes back
  // last heals both directions, since peers answer a state vector with their own.
  extension.sub.on("ready", resync);

  return {
    extension,
    redis,
    prefix,
    ping: async () => {
      await redis.ping();
    },
    async close() {
      redis.disconnect();
    },
  };
}
