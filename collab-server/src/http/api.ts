import { getConnInfo } from "@hono/node-server/conninfo";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { except } from "hono/combine";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { AI_MODES, type AiMode } from "@junokit/doc-model";
import { z } from "zod";
import { displayNameSchema, passwordSchema, usernameSchema, type Accounts, type PublicUser } from "../auth";
import type { Logger } from "../log";
import { ROLES, type Store } from "../storage";
import type { Workspaces } from "../workspaces";
import { ApiError, errorResponse, handleError } from "./errors";

export interface ApiDeps {
  /** Named dependencies /api/health checks (the store, Redis when clustered). */
  health: Record<string, () => Promise<void>>;
  accounts: Accounts;
  workspaces: Workspaces;
  store: Store;
  logger: Logger;
  /** Proxies in front that append to X-Forwarded-For (config TRUST_PROXY_HOPS). */
  trustProxyHops: number;
  /** Further signed-in endpoints (search, export and import), mounted after authentication. */
  routes?: ApiRoutes[];
}

type Env = { Variables: { user: PublicUser } };
export type ApiEnv = Env;

export interface ApiRoutes {
  mount(api: Hono<Env>): void;
  /** Requests that apply their own body limit (large uploads) instead of the default 1 MiB. */
  ownBodyLimit?(c: Context): boolean;
}

const idParam = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "not a valid id");
const schemas = {
  register: z.object({ username: usernameSchema, password: passwordSchema, displayName: displayNameSchema.optional() }),
  login: z.object({ username: z.string().max(64), password: z.string().max(1024) }),
  workspace: z.object({ name: z.string().trim().min(1).max(80) }),
  member: z.object({ username: usernameSchema, role: z.enum(ROLES as [string, ...string[]]) }),
  conversation: z.object({
    title: z.string().trim().max(200).optional(),
    persona: z.string().max(64).optional(),
    ai: z.enum(AI_MODES as [AiMode, ...AiMode[]]).optional(),
  }),
};

export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ApiError(400, "invalid_json", "the request body must be JSON");
  }
  return schema.parse(body);
}

/**
 * The address sign-in limits count against. Behind `hops` proxies the socket's peer is the last
 * proxy, so the client is the entry `hops` places from the right of X-Forwarded-For (entries
 * further left were written by the client and prove nothing).
 */
function clientAddress(c: Context, hops: number): string {
  const forwarded = (c.req.header("x-forwarded-for") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  if (hops > 0 && forwarded.length >= hops) return forwarded[forwarded.length - hops]!;
  try {
    return getConnInfo(c).remote.address ?? "unknown";
  } catch {
    return "unknown";
  }
}

export function createApi({ accounts, workspaces, logger, health, trustProxyHops, routes = [] }: ApiDeps): Hono<Env> {
  const api = new Hono<Env>();
  const registrations = new RateLimiterMemory({ points: 30, duration: 10 * 60 });

  api.onError(handleError(logger));
  const ownLimit = (c: Context) => routes.some((r) => r.ownBodyLimit?.(c) ?? false);
  api.use(except(ownLimit, bodyLimit({ maxSize: 1024 * 1024, onError: (c) => errorResponse(c, new ApiError(413, "too_large", "the request body is over 1 MiB")) })));

  api.get("/health", async (c) => {
    const results = await Promise.all(Object.entries(health).map(async ([name, check]) => {
      try {
        await check();
        return [name, "ok"] as const;
      } catch (err) {
        logger.error({ err, dependency: name }, "health check failed");
        return [name, "unreachable"] as const;
      }
    }));
    const ok = results.every(([, state]) => state === "ok");
    return c.json({ ok, ...Object.fromEntries(results) }, ok ? 200 : 503);
  });

  api.post("/auth/register", async (c) => {
    const input = await jsonBody(c, schemas.register);
    try {
      await registrations.consume(clientAddress(c, trustProxyHops));
    } catch (e) {
      if (e instanceof RateLimiterRes) throw tooMany(e.msBeforeNext, "too many registrations from this address");
      throw e;
    }
    const existing = await accounts.findByUsername(input.username);
    if (existing) throw new ApiError(409, "username_taken", `the username ${input.username} is taken; pick another`);
    const session = await accounts.register(input);
    logger.info({ userId: session.user.id }, "user registered");
    return c.json(session, 201);
  });

  api.post("/auth/login", async (c) => {
    const input = await jsonBody(c, schemas.login);
    const result = await accounts.login(input, clientAddress(c, trustProxyHops));
    if ("token" in result) return c.json(result);
    if (result.kind === "rate-limited") throw tooMany(result.retryAfterSeconds * 1000, "too many failed sign-ins");
    throw new ApiError(401, "bad_credentials", "wrong username or password");
  });

  api.use("*", async (c, next) => {
    const header = c.req.header("authorization") ?? "";
    const token = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
    if (!token) throw new ApiError(401, "unauthenticated", "sign in first: send Authorization: Bearer <token>");
    const user = await accounts.authenticate(token);
    if (!user) throw new ApiError(401, "invalid_token", "your session is invalid or expired; sign in again");
    c.set("user", user);
    await next();
  });

  api.get("/me", async (c) => c.json({ user: c.var.user, workspaces: await workspaces.list(c.var.user) }));

  api.post("/workspaces", async (c) => {
    const { name } = await jsonBody(c, schemas.workspace);
    return c.json(await workspaces.create(c.var.user, name), 201);
  });

  api.get("/workspaces/:wid", async (c) => c.json(await workspaces.describe(c.var.user, idParam.parse(c.req.param("wid")))));

  api.post("/workspaces/:wid/members", async (c) => {
    const { username, role } = await jsonBody(c, schemas.member);
    const member = await workspaces.setMember(c.var.user, idParam.parse(c.req.param("wid")), username, role as (typeof ROLES)[number]);
    return c.json(member);
  });

  api.post("/workspaces/:wid/conversations", async (c) => {
    const input = await jsonBody(c, schemas.conversation);
    return c.json(await workspaces.createConversation(c.var.user, idParam.parse(c.req.param("wid")), input), 201);
  });

  api.get("/workspaces/:wid/conversations", async (c) =>
    c.json(await workspaces.listConversations(c.var.user, idParam.parse(c.req.param("wid")))),
  );

  for (const r of routes) r.mount(api);

  // Mounted under /api, so the parent's not-found handler would answer in plain text.
  api.all("*", (c) => errorResponse(c, new ApiError(404, "not_found", `no API endpoint ${c.req.method} ${c.req.path}`)));
  return api;
}

function tooMany(msBeforeNext: number, what: string): ApiError {
  const seconds = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new ApiError(429, "rate_limited", `${what}; try again in ${seconds} s`, { "Retry-After": String(seconds) });
}
