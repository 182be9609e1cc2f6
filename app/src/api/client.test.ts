import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiError, createApiClient } from "./client";

// A small real HTTP server answering like the JunoKit API does, one route per case.
type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void;
const routes: Record<string, Route> = {
  "POST /api/auth/login": (_req, res, body) => {
    const { password } = JSON.parse(body) as { password: string };
    if (password === "right-password") return json(res, 200, { token: "t1", user: { id: "u1", username: "ann", displayName: "Ann" } });
    json(res, 401, { error: { code: "bad_credentials", message: "Wrong username or password." } });
  },
  "GET /api/me": (req, res) => {
    if (req.headers.authorization !== "Bearer good") return json(res, 401, { error: { code: "unauthorized", message: "token expired" } });
    json(res, 200, { user: { id: "u1", username: "ann", displayName: "Ann" }, workspaces: [] });
  },
  "POST /api/workspaces/w1/members": (_req, res) =>
    json(res, 404, { error: { code: "user_not_found", message: "No user named bob. Check the spelling." } }),
  "POST /api/workspaces/w2/members": (_req, res) => json(res, 403, {}),
  "GET /api/workspaces/w1": (_req, res) => {
    res.writeHead(502, { "Content-Type": "text/html" });
    res.end("<html>bad gateway</html>");
  },
  "POST /api/workspaces": (_req, res) => json(res, 429, { error: { code: "rate_limited", message: "slow down" } }),
};

let server: Server;
let baseUrl = "";

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const route = routes[`${req.method} ${req.url}`];
      if (route) route(req, res, body);
      else json(res, 404, { error: { code: "not_found", message: "No such route" } });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(body));
}

async function failure(promise: Promise<unknown>): Promise<ApiError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ApiError);
  return error as ApiError;
}

describe("api client (APP-API-1: every failure becomes an actionable ApiError)", () => {
  it("returns the parsed body on success and sends the bearer token", async () => {
    const api = createApiClient({ baseUrl, getToken: () => "good" });
    const me = await api.me();
    expect(me.user.username).toBe("ann");
    const session = await createApiClient({ baseUrl, getToken: () => null }).login({ username: "ann", password: "right-password" });
    expect(session.token).toBe("t1");
  });

  it("shows the server's own message for bad credentials and does not end a session that never started", async () => {
    let ended = 0;
    const api = createApiClient({ baseUrl, getToken: () => null, onUnauthorized: () => ended++ });
    const error = await failure(api.login({ username: "ann", password: "wrong-password" }));
    expect(error.status).toBe(401);
    expect(error.message).toBe("Wrong username or password.");
    expect(ended).toBe(0);
  });

  it("ends the session when a signed-in request is refused with 401", async () => {
    let ended = 0;
    const api = createApiClient({ baseUrl, getToken: () => "stale", onUnauthorized: () => ended++ });
    const error = await failure(api.me());
    expect(error.code).toBe("unauthorized");
    expect(error.message).toMatch(/sign in again/i);
    expect(ended).toBe(1);
  });

  it("keeps the server's code and message for 4xx errors", async () => {
    const api = createApiClient({ baseUrl, getToken: () => "good" });
    const error = await failure(api.addMember("w1", "bob", "editor"));
    expect([error.status, error.code, error.message]).toEqual([404, "user_not_found", "No user named bob. Check the spelling."]);
  });

  it("falls back to a helpful message when a 403 has no error body", async () => {
    const api = createApiClient({ baseUrl, getToken: () => "good" });
    const error = await failure(api.addMember("w2", "bob", "viewer"));
    expect([error.status, error.code]).toEqual([403, "forbidden"]);
    expect(error.message).toMatch(/permission/i);
  });

  it("turns a non-JSON 5xx into a server error that says to retry", async () => {
    const api = createApiClient({ baseUrl, getToken: () => "good" });
    const error = await failure(api.workspace("w1"));
    expect([error.status, error.code]).toEqual([502, "server"]);
    expect(error.message).toMatch(/502.*try again/i);
  });

  it("says to wait when rate limited", async () => {
    const api = createApiClient({ baseUrl, getToken: () => "good" });
    const error = await failure(api.createWorkspace("x"));
    expect(error.code).toBe("rate_limited");
    expect(error.message).toMatch(/wait/i);
  });

  it("reports an unreachable server as a network error", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const api = createApiClient({ baseUrl: `http://127.0.0.1:${port}`, getToken: () => null });
    const error = await failure(api.health());
    expect([error.status, error.code]).toEqual([0, "network"]);
    expect(error.message).toMatch(/can't reach/i);
  });
});
