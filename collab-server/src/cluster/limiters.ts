import type { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract } from "rate-limiter-flexible";

export interface LimiterOptions {
  /** Distinguishes one limit's counters from another's. */
  keyPrefix: string;
  points: number;
  /** Window in seconds. */
  duration: number;
}

/** Makes rate limiters: per process alone, shared by every instance when Redis links them. */
export type LimiterFactory = (options: LimiterOptions) => RateLimiterAbstract;

export function limiterFactory(shared?: { redis: Redis; prefix: string }): LimiterFactory {
  if (!shared) return (o) => new RateLimiterMemory(o);
  return (o) => new RateLimiterRedis({ ...o, keyPrefix: `${shared.prefix}:limit:${o.keyPrefix}`, storeClient: shared.redis });
}
