import { existsSync, readFileSync } from "node:fs";
import { cpus } from "node:os";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseDotenv } from "dotenv";
import { z } from "zod";

// Empty strings mean "unset" (DESIGN.md §2), so `FOO=` in a .env falls back to the default.
const optionalString = z.preprocess((v) => (v === "" ? undefined : v), z.string().optional());
const withDefault = <T extends z.ZodType>(schema: T, fallback: z.input<T>) =>
  z.preprocess((v) => (v === "" || v === undefined ? fallback : v), schema);

const schema = z.object({
  PORT: withDefault(z.coerce.number().int().min(0).max(65535), 8080),
  HOST: withDefault(z.string().min(1), "127.0.0.1"),
  DATA_DIR: withDefault(z.string().min(1), "./data"),
  JWT_SECRET: optionalString.pipe(z.string().min(32, "must be at least 32 characters").optional()),
  AI_BASE_URL: optionalString.pipe(z.url().optional()),
  AI_API_KEY: optionalString,
  AI_MODEL: withDefault(z.string().min(1), "deepseek/deepseek-r1"),
  // Models a custom persona may name (SPEC AI-19): comma-separated, or `*` for any.
  AI_ALLOWED_MODELS: optionalString.pipe(
    z.string().refine((v) => v.trim() === "*" || !v.split(",").some((m) => /\s/.test(m.trim())), "comma-separated model names without spaces, or *").optional(),
  ),
  AI_MODEL_PATH: optionalString,
  AI_THREADS: withDefault(z.coerce.number().int().min(1).max(256), cpus().length),
  REDIS_URL: optionalString.pipe(z.url().optional()),
  DATABASE_URL: optionalString.pipe(z.url().optional()),
  REDIS_PREFIX: withDefault(z.string().regex(/^[A-Za-z0-9_:-]{1,64}$/, "1–64 of A-Z a-z 0-9 _ : -"), "junokit"),
  DATABASE_SCHEMA: withDefault(z.string().regex(/^[a-z_][a-z0-9_]{0,62}$/, "a lowercase SQL identifier"), "public"),
  LOG_LEVEL: withDefault(z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]), "info"),
  // Extensions of the contract (DESIGN.md §2 allows new variables).
  ALLOWED_ORIGINS: optionalString,
  MAX_MESSAGE_BYTES: withDefault(z.coerce.number().int().min(1024), 4 * 1024 * 1024),
  MAX_DOCUMENT_BYTES: withDefault(z.coerce.number().int().min(1024), 64 * 1024 * 1024),
  MAX_UNAUTHENTICATED_CONNECTIONS: withDefault(z.coerce.number().int().min(1), 1000),
  TOKEN_TTL_HOURS: withDefault(z.coerce.number().positive(), 24 * 30),
  APP_DIST: optionalString,
  TRUST_PROXY_HOPS: withDefault(z.coerce.number().int().min(0).max(10), 0),
  IMPORT_MAX_BYTES: withDefault(z.coerce.number().int().min(1024), 20 * 1024 * 1024),
  // The AI peer's limits (SPEC AI-*): deadlines, retries, prompt budget, prompts per minute.
  AI_MAX_TOKENS: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(1).optional()),
  AI_RETRIES: withDefault(z.coerce.number().int().min(0).max(10), 2),
  AI_RETRY_DELAY_MS: withDefault(z.coerce.number().int().min(0), 1000),
  AI_FIRST_TOKEN_TIMEOUT_MS: withDefault(z.coerce.number().int().min(1), 60_000),
  AI_IDLE_TIMEOUT_MS: withDefault(z.coerce.number().int().min(1), 30_000),
  AI_MAX_REPLY_MS: withDefault(z.coerce.number().int().min(1), 300_000),
  AI_CONTEXT_TOKENS: withDefault(z.coerce.number().int().min(500), 8000),
  AI_PROMPTS_PER_USER_PER_MINUTE: withDefault(z.coerce.number().int().min(1), 20),
  AI_PROMPTS_PER_WORKSPACE_PER_MINUTE: withDefault(z.coerce.number().int().min(1), 120),
});

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  jwtSecret: string | undefined;
  ai: {
    baseUrl: string | undefined; apiKey: string | undefined; model: string; modelPath: string | undefined; threads: number;
    /**
     * The models a custom persona may ask for (SPEC AI-19); always holds `model`. "any" only when
     * the operator set `*`: a persona is asked with the operator's key, so any model costs them.
     */
    allowedModels: readonly string[] | "any";
    maxTokens: number | undefined;
    retries: number;
    retryDelayMs: number;
    deadlines: { firstTokenMs: number; idleMs: number; totalMs: number };
    contextTokens: number;
    limits: { perUserPerMinute: number; perWorkspacePerMinute: number };
  };
  redisUrl: string | undefined;
  /** Namespaces JunoKit's Redis channels and keys (deployments sharing one Redis). */
  redisPrefix: string;
  databaseUrl: string | undefined;
  /** The PostgreSQL schema JunoKit's tables live in. */
  databaseSchema: string;
  logLevel: string;
  /** Browser origins allowed to open the WebSocket; empty means "the server's own origin". */
  allowedOrigins: string[];
  limits: { maxMessageBytes: number; maxDocumentBytes: number; maxUnauthenticatedConnections: number };
  tokenTtlSeconds: number;
  /** Largest import upload accepted. */
  importMaxBytes: number;
  /**
   * Reverse proxies in front of the server that append to X-Forwarded-For (nginx in the compose
   * file: 1). The client address for sign-in limits is taken that many entries from the right;
   * 0 trusts no header, so a client cannot pick its own address.
   */
  trustProxyHops: number;
  /** The built app to serve (app/dist unless APP_DIST says otherwise). */
  appDist: string;
}

// The app build that `npm run build` writes, found relative to this file so any cwd works.
const DEFAULT_APP_DIST = fileURLToPath(new URL("../../../app/dist", import.meta.url));

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n  ${problems.join("\n  ")}`);
    this.name = "ConfigError";
  }
}

/** Reads `.env` (if present) under the real environment, which wins. */
export function readEnvironment(cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const file = resolve(cwd, ".env");
  const fromFile = existsSync(file) ? parseDotenv(readFileSync(file)) : {};
  return { ...fromFile, ...env };
}

/** Validates the whole environment at once, so one run names every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const e = result.data;
  if (e.REDIS_URL && !e.DATABASE_URL) {
    throw new ConfigError(["DATABASE_URL: required when REDIS_URL is set, so every instance stores into one PostgreSQL (separate LevelDB stores would each miss the others' writes)"]);
  }
  if ((e.REDIS_URL || e.DATABASE_URL) && !e.JWT_SECRET) {
    throw new ConfigError(["JWT_SECRET: required when REDIS_URL or DATABASE_URL is set, so every instance accepts the same sessions"]);
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir: resolve(e.DATA_DIR),
    jwtSecret: e.JWT_SECRET,
    ai: {
      baseUrl: e.AI_BASE_URL, apiKey: e.AI_API_KEY, model: e.AI_MODEL, modelPath: e.AI_MODEL_PATH, threads: e.AI_THREADS,
      allowedModels: allowedModelsOf(e.AI_ALLOWED_MODELS, e.AI_MODEL),
      maxTokens: e.AI_MAX_TOKENS,
      retries: e.AI_RETRIES,
      retryDelayMs: e.AI_RETRY_DELAY_MS,
      deadlines: { firstTokenMs: e.AI_FIRST_TOKEN_TIMEOUT_MS, idleMs: e.AI_IDLE_TIMEOUT_MS, totalMs: e.AI_MAX_REPLY_MS },
      contextTokens: e.AI_CONTEXT_TOKENS,
      limits: { perUserPerMinute: e.AI_PROMPTS_PER_USER_PER_MINUTE, perWorkspacePerMinute: e.AI_PROMPTS_PER_WORKSPACE_PER_MINUTE },
    },
    redisUrl: e.REDIS_URL,
    redisPrefix: e.REDIS_PREFIX,
    databaseUrl: e.DATABASE_URL,
    databaseSchema: e.DATABASE_SCHEMA,
    logLevel: e.LOG_LEVEL,
    allowedOrigins: (e.ALLOWED_ORIGINS ?? "").split(",").map((s) => s.trim()).filter(Boolean),
    limits: {
      maxMessageBytes: e.MAX_MESSAGE_BYTES,
      maxDocumentBytes: e.MAX_DOCUMENT_BYTES,
      maxUnauthenticatedConnections: e.MAX_UNAUTHENTICATED_CONNECTIONS,
    },
    tokenTtlSeconds: Math.round(e.TOKEN_TTL_HOURS * 3600),
    importMaxBytes: e.IMPORT_MAX_BYTES,
    trustProxyHops: e.TRUST_PROXY_HOPS,
    appDist: resolve(e.APP_DIST ?? DEFAULT_APP_DIST),
  };
}

function allowedModelsOf(setting: string | undefined, model: string): readonly string[] | "any" {
  if (setting?.trim() === "*") return "any";
  const listed = (setting ?? "").split(",").map((m) => m.trim()).filter(Boolean);
  return [...new Set([model, ...listed])];
}
