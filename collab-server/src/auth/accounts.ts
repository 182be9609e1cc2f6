import { nanoid } from "nanoid";
import { RateLimiterRes } from "rate-limiter-flexible";
import type { LimiterFactory } from "../cluster";
import { z } from "zod";
import type { AccountStore, UserRecord } from "../storage";
import { hashPassword, verifyPassword } from "./passwords";
import type { TokenIssuer } from "./tokens";

export const usernameSchema = z.string().regex(/^[a-z0-9_.-]{3,32}$/, "3–32 characters of a-z, 0-9, _ . -");
export const passwordSchema = z.string().min(8, "at least 8 characters").max(1024, "at most 1024 characters");
export const displayNameSchema = z.string().trim().min(1).max(64);

export interface PublicUser {
  id: string;
  username: string;
  displayName: string;
}

export type AuthFailure =
  | { kind: "bad-credentials" }
  | { kind: "rate-limited"; retryAfterSeconds: number };

export interface Accounts {
  register(input: { username: string; password: string; displayName?: string | undefined }): Promise<{ token: string; user: PublicUser }>;
  login(input: { username: string; password: string }, clientKey: string): Promise<{ token: string; user: PublicUser } | AuthFailure>;
  /** The user behind a session token, or null. */
  authenticate(token: string): Promise<PublicUser | null>;
  findByUsername(username: string): Promise<PublicUser | null>;
}

export function publicUser(u: UserRecord): PublicUser {
  return { id: u.id, username: u.username, displayName: u.displayName };
}

// Failed logins per username and per client: 10 in 15 minutes, then a cool-down.
const FAILED_LOGIN_LIMIT = { points: 10, duration: 15 * 60 };

export function createAccounts(store: AccountStore, tokens: TokenIssuer, limiter: LimiterFactory): Accounts {
  const failures = limiter({ keyPrefix: "login-failures", ...FAILED_LOGIN_LIMIT });
  const blocked = async (keys: string[]) => {
    for (const key of keys) {
      const res = await failures.get(key);
      if (res && res.consumedPoints >= FAILED_LOGIN_LIMIT.points) return Math.ceil(res.msBeforeNext / 1000);
    }
    return 0;
  };
  const session = async (u: UserRecord) => ({ token: await tokens.issue(u.id), user: publicUser(u) });

  return {
    async register({ username, password, displayName }) {
      const user: UserRecord = {
        id: nanoid(16),
        username,
        displayName: displayName?.trim() || username,
        passwordHash: await hashPassword(password),
        createdAt: Date.now(),
      };
      await store.createUser(user);
      return session(user);
    },
    async login({ username, password }, clientKey) {
      const keys = [`u:${username}`, `c:${clientKey}`];
      const wait = await blocked(keys);
      if (wait > 0) return { kind: "rate-limited", retryAfterSeconds: wait };
      const user = await store.getUserByUsername(username);
      // Hash even for unknown users so timing does not reveal which usernames exist.
      const ok = user ? await verifyPassword(password, user.passwordHash) : (await hashPassword(password), false);
      if (!user || !ok) {
        await Promise.all(keys.map((k) => failures.penalty(k, 1).catch((e: unknown) => { if (!(e instanceof RateLimiterRes)) throw e; })));
        return { kind: "bad-credentials" };
      }
      await Promise.all(keys.map((k) => failures.delete(k)));
      return session(user);
    },
    async authenticate(token) {
      const id = await tokens.verify(token);
      const user = id ? await store.getUserById(id) : null;
      return user ? publicUser(user) : null;
    },
    async findByUsername(username) {
      const user = await store.getUserByUsername(username);
      return user ? publicUser(user) : null;
    },
  };
}
