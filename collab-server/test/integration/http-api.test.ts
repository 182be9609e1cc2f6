import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addMember, api, register, startTestServer, workspaceWithConversation, type TestServer } from "../support/server";

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
});
afterAll(() => t.close());

describe("HTTP API (DESIGN.md §3)", () => {
  it("API-1 registers, logs in and answers /api/me", async () => {
    const reg = await api(t.url, "/api/auth/register", { body: { username: "alice", password: "long enough pw", displayName: "Alice" } });
    expect(reg.status).toBe(201);
    expect(reg.body.user).toEqual({ id: expect.any(String), username: "alice", displayName: "Alice" });
    expect(JSON.stringify(reg.body)).not.toContain("long enough pw");
    const login = await api(t.url, "/api/auth/login", { body: { username: "alice", password: "long enough pw" } });
    expect(login.status).toBe(200);
    const me = await api(t.url, "/api/me", { token: login.body.token });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ user: reg.body.user, workspaces: [] });
  });

  it("API-2 rejects bad input with 400 and a message naming the field", async () => {
    const bad = await api(t.url, "/api/auth/register", { body: { username: "A!", password: "short" } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe("invalid_input");
    expect(bad.body.error.message).toMatch(/username/);
    expect(bad.body.error.message).toMatch(/password/);
    const notJson = await api(t.url, "/api/auth/login", { body: "{nope", headers: { "content-type": "application/json" } });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error.code).toBe("invalid_json");
  });

  it("API-3 answers a taken username with 409", async () => {
    await register(t.url, "bob");
    const again = await api(t.url, "/api/auth/register", { body: { username: "bob", password: "another password" } });
    expect(again.status).toBe(409);
  });

  it("API-4 answers wrong credentials with 401 and repeated failures with 429", async () => {
    await register(t.url, "carol");
    const wrong = await api(t.url, "/api/auth/login", { body: { username: "carol", password: "wrong password" } });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error.code).toBe("bad_credentials");
    let last = wrong;
    for (let i = 0; i < 12 && last.status !== 429; i++) {
      last = await api(t.url, "/api/auth/login", { body: { username: "carol", password: "wrong password" } });
    }
    expect(last.status).toBe(429);
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
    // Even the right password waits out the cool-down: guessing gains nothing.
    const right = await api(t.url, "/api/auth/login", { body: { username: "carol", password: "correct horse battery" } });
    expect(right.status).toBe(429);
  });

  it("API-5 refuses missing, forged and expired tokens with 401", async () => {
    expect((await api(t.url, "/api/me")).status).toBe(401);
    const s = await register(t.url);
    const forged = s.token.slice(0, -4) + (s.token.endsWith("AAAA") ? "BBBB" : "AAAA");
    expect((await api(t.url, "/api/me", { token: forged })).status).toBe(401);
    const { createTokenIssuer } = await import("../../src/auth");
    const { readFile } = await import("node:fs/promises");
    const secret = (await readFile(`${t.dataDir}/jwt-secret`, "utf8")).trim();
    const expired = await createTokenIssuer(secret, -10).issue(s.user.id);
    expect((await api(t.url, "/api/me", { token: expired })).status).toBe(401);
    const otherSecret = await createTokenIssuer("x".repeat(40), 3600).issue(s.user.id);
    expect((await api(t.url, "/api/me", { token: otherSecret })).status).toBe(401);
  });

  it("API-6 workspaces: owner creates, adds members by role; others get 403/404", async () => {
    const { owner, workspaceId } = await workspaceWithConversation(t.url);
    const editor = await addMember(t.url, owner, workspaceId, "editor");
    const viewer = await addMember(t.url, owner, workspaceId, "viewer");
    const stranger = await register(t.url);

    const described = await api(t.url, `/api/workspaces/${workspaceId}`, { token: viewer.token });
    expect(described.status).toBe(200);
    expect(described.body.role).toBe("viewer");
    expect(described.body.members.map((m: any) => m.role).sort()).toEqual(["editor", "owner", "viewer"]);

    expect((await api(t.url, `/api/workspaces/${workspaceId}`, { token: stranger.token })).status).toBe(404);
    expect((await api(t.url, `/api/workspaces/${workspaceId}/members`, { token: editor.token, body: { username: stranger.user.username, role: "viewer" } })).status).toBe(403);
    expect((await api(t.url, `/api/workspaces/${workspaceId}/conversations`, { token: viewer.token, body: { title: "x" } })).status).toBe(403);
    const byEditor = await api(t.url, `/api/workspaces/${workspaceId}/conversations`, { token: editor.token, body: { title: "Editor's", persona: "qa" } });
    expect(byEditor.status).toBe(201);
    expect(byEditor.body.docName).toBe(`ws/${workspaceId}/conv/${byEditor.body.id}`);
    expect((await api(t.url, `/api/workspaces/${workspaceId}/members`, { token: owner.token, body: { username: "nobody-here", role: "viewer" } })).status).toBe(404);
    const me = await api(t.url, "/api/me", { token: editor.token });
    expect(me.body.workspaces).toEqual([{ id: workspaceId, name: "Team", role: "editor" }]);
  });

  it("API-7 lists conversations with title, persona and activity", async () => {
    const { owner, workspaceId, conversationId } = await workspaceWithConversation(t.url);
    const list = await api(t.url, `/api/workspaces/${workspaceId}/conversations`, { token: owner.token });
    expect(list.status).toBe(200);
    expect(list.body).toEqual([{ id: conversationId, docName: `ws/${workspaceId}/conv/${conversationId}`, title: "Launch", persona: "dev", updatedAt: expect.any(Number) }]);
    const badPersona = await api(t.url, `/api/workspaces/${workspaceId}/conversations`, { token: owner.token, body: { persona: "pirate" } });
    expect(badPersona.status).toBe(400);
  });

  it("API-8 health answers without a token; unknown endpoints are JSON 404s", async () => {
    const health = await api(t.url, "/api/health");
    expect(health.status).toBe(200);
    expect(health.body.ok).toBe(true);
    const me = await register(t.url);
    const missing = await api(t.url, "/api/nothing-here", { token: me.token });
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe("not_found");
  });
});

describe("operations", () => {
  it("OPS-2 /metrics speaks Prometheus and counts connections, documents and stored updates", async () => {
    const { owner, docName } = await workspaceWithConversation(t.url);
    const { connect } = await import("../support/server");
    const peer = connect(t.wsUrl, docName, owner.token);
    await peer.synced;
    const before = await api(t.url, "/metrics");
    const count = (text: string, name: string) => Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(text)?.[1] ?? NaN);
    expect(before.headers.get("content-type")).toMatch(/text\/plain/);
    expect(count(before.body, "junokit_websocket_connections")).toBeGreaterThanOrEqual(1);
    expect(count(before.body, "junokit_documents_loaded")).toBeGreaterThanOrEqual(1);
    const clientUpdates = (text: string) => Number(/^junokit_document_updates_total\{source="client"\} (\S+)$/m.exec(text)?.[1] ?? 0);
    const { appendMessage } = await import("@junokit/doc-model");
    appendMessage(peer.doc, { id: "m-metrics", role: "user", authorId: owner.user.id, authorName: "O", createdAt: Date.now(), text: "count me" });
    await peer.acknowledged();
    const after = await api(t.url, "/metrics");
    expect(clientUpdates(after.body)).toBe(clientUpdates(before.body) + 1);
    expect(after.body).toMatch(/^junokit_store_append_seconds_count \d+/m);
    expect(after.body).toMatch(/^junokit_process_resident_memory_bytes \d+/m);
    peer.destroy();
  });
});
