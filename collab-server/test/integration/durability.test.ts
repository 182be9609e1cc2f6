import { readIndex, readMessages, workspaceIndexDocName, appendMessage } from "@junokit/doc-model";
import { rm } from "node:fs/promises";
import { afterEach, describe, expect, it } from "vitest";
import { api, connect, spawnServerProcess, tempDataDir, until, workspaceWithConversation, type ServerProcess } from "../support/server";

const running: ServerProcess[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill("SIGKILL");
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

async function start(dataDir: string): Promise<ServerProcess> {
  const p = await spawnServerProcess(dataDir);
  running.push(p);
  return p;
}

async function login(url: string, username: string): Promise<string> {
  const res = await api(url, "/api/auth/login", { body: { username, password: "correct horse battery" } });
  expect(res.status).toBe(200);
  return res.body.token;
}

describe("durability of acknowledged updates", () => {
  it("DUR-2 an acknowledged write survives kill -9 of the server with no client left", async () => {
    const dataDir = await tempDataDir();
    dirs.push(dataDir);
    const first = await start(dataDir);
    const { owner, docName } = await workspaceWithConversation(first.url, { ai: "off" });
    const peer = connect(first.wsUrl, docName, owner.token);
    await peer.synced;
    for (let i = 0; i < 20; i++) {
      appendMessage(peer.doc, { id: `m${i}`, role: "user", authorId: owner.user.id, authorName: "O", createdAt: Date.now(), text: `note ${i}` });
    }
    await peer.acknowledged();
    peer.destroy();
    first.child.kill("SIGKILL");
    expect(await first.exited).toBeNull();

    const second = await start(dataDir);
    const again = connect(second.wsUrl, docName, await login(second.url, owner.user.username));
    await again.synced;
    expect(readMessages(again.doc).map((m) => m.text)).toEqual(Array.from({ length: 20 }, (_, i) => `note ${i}`));
    again.destroy();
  });

  it("DUR-3 SIGTERM flushes server-side writes in flight and exits 0", async () => {
    const dataDir = await tempDataDir();
    dirs.push(dataDir);
    const first = await start(dataDir);
    const { owner, workspaceId, docName } = await workspaceWithConversation(first.url, { ai: "off" });
    const peer = connect(first.wsUrl, docName, owner.token);
    await peer.synced;
    appendMessage(peer.doc, { id: "last", role: "user", authorId: owner.user.id, authorName: "O", createdAt: Date.now(), text: "the last word before shutdown" });
    await peer.acknowledged();
    // The index refresh for this message is still pending (it settles for 150 ms): SIGTERM must write it.
    first.child.kill("SIGTERM");
    expect(await first.exited).toBe(0);
    peer.destroy();
    expect(first.logs.some((l) => l.includes("every change is on disk"))).toBe(true);

    const second = await start(dataDir);
    const index = connect(second.wsUrl, workspaceIndexDocName(workspaceId), await login(second.url, owner.user.username));
    await index.synced;
    await until(index.doc, () => readIndex(index.doc).length === 1);
    expect(readIndex(index.doc)[0]!.preview).toBe("the last word before shutdown");
    index.destroy();
  });

  it("DUR-4 logs are JSON lines and never contain passwords or tokens", async () => {
    const dataDir = await tempDataDir();
    dirs.push(dataDir);
    const p = await spawnServerProcess(dataDir, { LOG_LEVEL: "debug" });
    running.push(p);
    const { owner } = await workspaceWithConversation(p.url, { ai: "off" });
    await api(p.url, "/api/auth/login", { body: { username: owner.user.username, password: "wrong password!" } });
    await api(p.url, "/api/me", { token: owner.token });
    p.child.kill("SIGTERM");
    await p.exited;
    const lines = p.logs.join("\n").split("\n").filter((l) => l.trim());
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) expect(() => JSON.parse(line), line).not.toThrow();
    const all = lines.join("\n");
    for (const secret of ["correct horse battery", "wrong password!", owner.token]) expect(all).not.toContain(secret);
  });
});

describe("configuration", () => {
  it("CFG-1 a bad configuration names every bad variable and exits non-zero", async () => {
    const dataDir = await tempDataDir();
    dirs.push(dataDir);
    await expect(spawnServerProcess(dataDir, { PORT: "0", LOG_LEVEL: "loud", AI_BASE_URL: "not a url", MAX_MESSAGE_BYTES: "-5" })).rejects.toThrow(
      /LOG_LEVEL[\s\S]*AI_BASE_URL|AI_BASE_URL[\s\S]*LOG_LEVEL/,
    );
  });
});
