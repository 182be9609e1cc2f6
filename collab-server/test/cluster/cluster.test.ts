import { appendMessage, inboxDocName, messageList, messageText, readInbox, readIndex, readMessages, readPeer, workspaceIndexDocName } from "@junokit/doc-model";
import * as Y from "yjs";
import { afterEach, describe, expect, it } from "vitest";
import { startBalancer } from "../support/balancer";
import { clusterEnv, dropSchema } from "../support/cluster";
import { startPrivateRedis } from "../support/redis-server";
import { api, connect, spawnServerProcess, startTestServer, tempDataDir, until, workspaceWithConversation, addMember, type Peer, type TestServer, type ServerProcess } from "../support/server";

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function cluster(n: number, env = clusterEnv()): Promise<TestServer[]> {
  cleanups.push(() => dropSchema(env.DATABASE_SCHEMA!));
  const servers: TestServer[] = [];
  for (let i = 0; i < n; i++) {
    const s = await startTestServer({ env });
    servers.push(s);
    cleanups.push(() => s.close());
  }
  return servers;
}

function peer(wsUrl: string, docName: string, token: string): Peer {
  const p = connect(wsUrl, docName, token);
  cleanups.push(() => p.destroy());
  return p;
}

function say(p: Peer, id: string, text: string, author: { id: string; displayName: string }) {
  appendMessage(p.doc, { id, role: "user", authorId: author.id, authorName: author.displayName, createdAt: Date.now(), text });
}

describe("several instances act as one service", () => {
  it("CLU-1 edits and awareness cross instances both ways", async () => {
    const [a, b] = await cluster(2);
    const { owner, workspaceId, docName } = await workspaceWithConversation(a!.url, { ai: "off" });
    const bob = await addMember(b!.url, owner, workspaceId, "editor");
    const onA = peer(a!.wsUrl, docName, owner.token);
    const onB = peer(b!.wsUrl, docName, bob.token);
    await Promise.all([onA.synced, onB.synced]);
    say(onA, "m1", "from A", owner.user);
    await until(onB.doc, () => readMessages(onB.doc).length === 1);
    say(onB, "m2", "from B", bob.user);
    await until(onA.doc, () => readMessages(onA.doc).length === 2);
    onB.provider.setAwarenessField("typing", true);
    await new Promise<void>((resolve) => {
      const check = () => readPeer(onA.awareness().getStates().get(onB.doc.clientID))?.typing === true && resolve();
      onA.awareness().on("change", check);
      check();
    });
    expect(readPeer(onA.awareness().getStates().get(onB.doc.clientID))!.user.id).toBe(bob.user.id);
  });

  it("CLU-2 server-side writes (direct connections, as the AI peer uses) reach clients on the other instance", async () => {
    const [a, b] = await cluster(2);
    const { owner, docName } = await workspaceWithConversation(a!.url, { ai: "off" });
    const onB = peer(b!.wsUrl, docName, owner.token);
    await onB.synced;
    // Hocuspocus issue #800: a direct connection's writes must be published through Redis.
    const direct = await a!.server.collab.hocuspocus.openDirectConnection(docName, { server: true });
    await direct.transact((doc) => appendMessage(doc, { id: "ai1", role: "assistant", authorId: "ai", authorName: "Dev", createdAt: Date.now(), text: "" }));
    for (const token of ["Hel", "lo ", "from ", "A"]) {
      await direct.transact((doc) => messageText(messageList(doc).get(0)).insert(messageText(messageList(doc).get(0)).length, token));
    }
    await until(onB.doc, () => readMessages(onB.doc)[0]?.text === "Hello from A");
    await direct.disconnect();
  });

  it("CLU-3 kill -9 of one instance loses no acknowledged update; its clients reconnect through the other", async () => {
    const env = clusterEnv();
    cleanups.push(() => dropSchema(env.DATABASE_SCHEMA!));
    const procs: ServerProcess[] = [];
    for (let i = 0; i < 2; i++) {
      const p = await spawnServerProcess(await tempDataDir(), env);
      procs.push(p);
      cleanups.push(() => { if (p.child.exitCode === null) p.child.kill("SIGKILL"); });
    }
    const balancer = await startBalancer(procs.map((p) => p.port));
    cleanups.push(() => balancer.close());
    const { owner, docName } = await workspaceWithConversation(procs[0]!.url, { ai: "off" });
    // Straight to instance 0, then through the balancer once it is gone.
    const doc = new Y.Doc();
    const first = connect(procs[0]!.wsUrl, docName, owner.token);
    await first.synced;
    say(first, "before", "acknowledged before the crash", owner.user);
    await first.acknowledged();
    Y.applyUpdate(doc, Y.encodeStateAsUpdate(first.doc));
    first.destroy();
    procs[0]!.child.kill("SIGKILL");
    await procs[0]!.exited;

    const viaBalancer = peer(balancer.wsUrl, docName, owner.token);
    await viaBalancer.synced;
    expect(readMessages(viaBalancer.doc).map((m) => m.text)).toEqual(["acknowledged before the crash"]);
    say(viaBalancer, "after", "written through the survivor", owner.user);
    await viaBalancer.acknowledged();
    const direct = peer(procs[1]!.wsUrl, docName, owner.token);
    await direct.synced;
    expect(readMessages(direct.doc).map((m) => m.text)).toEqual(["acknowledged before the crash", "written through the survivor"]);
  });

  it("CLU-4 a Redis restart during seeded random edits from many clients ends with every replica and the store equal", async () => {
    const redis = await startPrivateRedis();
    cleanups.push(() => redis.stop());
    const [a, b] = await cluster(2, clusterEnv(redis.url));
    const { owner, docName } = await workspaceWithConversation(a!.url, { ai: "off" });
    const clients = Array.from({ length: 6 }, (_, i) => peer((i % 2 ? b! : a!).wsUrl, docName, owner.token));
    await Promise.all(clients.map((c) => c.synced));
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const burst = (round: number) => {
      for (let i = 0; i < 60; i++) {
        const c = clients[Math.floor(random() * clients.length)]!;
        if (random() < 0.3 || messageList(c.doc).length === 0) say(c, `r${round}-${i}`, `msg ${round}.${i}`, owner.user);
        else {
          const text = messageText(messageList(c.doc).get(Math.floor(random() * messageList(c.doc).length)));
          text.insert(Math.floor(random() * (text.length + 1)), String.fromCharCode(97 + Math.floor(random() * 26)));
        }
      }
    };
    burst(1);
    await redis.stop();
    burst(2); // while Redis is down: each instance's clients still see each other, the instances diverge
    await Promise.all(clients.map((c) => c.acknowledged()));
    // No further edits: only the resynchronisation on reconnect can bring the instances together.
    await redis.start();
    const state = (d: Y.Doc) => JSON.stringify(readMessages(d));
    const reference = new Y.Doc();
    for (const c of clients) Y.applyUpdate(reference, Y.encodeStateAsUpdate(c.doc));
    const expected = state(reference);
    await Promise.all(clients.map((c) => until(c.doc, () => state(c.doc) === expected, 20_000)));
    for (const server of [a!, b!]) {
      const live = server.server.collab.hocuspocus.documents.get(docName)!;
      expect(state(live)).toBe(expected);
    }
    const stored = new Y.Doc();
    for (const u of await a!.server.store.loadDocument(docName)) Y.applyUpdate(stored, u);
    expect(state(stored)).toBe(expected);
    expect(readMessages(reference).length).toBeGreaterThan(30);
  });

  it("CLU-5 PostgreSQL or Redis unreachable at start: a clear error naming which, and a non-zero exit", async () => {
    const env = clusterEnv();
    const noRedis = spawnServerProcess(await tempDataDir(), { ...env, REDIS_URL: "redis://127.0.0.1:1" });
    await expect(noRedis).rejects.toThrow(/Redis at redis:\/\/127\.0\.0\.1:1.* is unreachable/);
    const noPg = spawnServerProcess(await tempDataDir(), { ...env, DATABASE_URL: "postgres://junokit:s3cret@127.0.0.1:1/test" });
    const error = await noPg.then(() => null, (e: Error) => e);
    expect(error?.message).toMatch(/PostgreSQL at postgres:\/\/127\.0\.0\.1:1\/test is unreachable/);
    expect(error?.message).not.toContain("s3cret");
  });

  it("CLU-7 sign-in limits, the workspace index and notifications stay right with two instances", async () => {
    const [a, b] = await cluster(2);
    const { owner, workspaceId, docName } = await workspaceWithConversation(a!.url, { ai: "off" });
    const bob = await addMember(b!.url, owner, workspaceId, "editor");
    // Failed sign-ins count across instances: 10 spread over both, then both refuse.
    for (let i = 0; i < 10; i++) {
      const res = await api((i % 2 ? b! : a!).url, "/api/auth/login", { body: { username: bob.user.username, password: "wrong password" } });
      expect(res.status).toBe(401);
    }
    for (const server of [a!, b!]) {
      expect((await api(server.url, "/api/auth/login", { body: { username: bob.user.username, password: "wrong password" } })).status).toBe(429);
    }
    // A mention written through B: one inbox item, one index entry, seen through A.
    const onB = peer(b!.wsUrl, docName, owner.token);
    const indexOnA = peer(a!.wsUrl, workspaceIndexDocName(workspaceId), owner.token);
    const onA = peer(a!.wsUrl, docName, owner.token);
    await Promise.all([onB.synced, indexOnA.synced, onA.synced]);
    say(onB, "m1", `@${bob.user.username} please look`, owner.user);
    await until(indexOnA.doc, () => readIndex(indexOnA.doc)[0]?.preview.includes("please look") === true);
    const bobsInbox = peer(a!.wsUrl, inboxDocName(bob.user.id), bob.token);
    await bobsInbox.synced;
    await until(bobsInbox.doc, () => readInbox(bobsInbox.doc).some((i) => i.kind === "mention"));
    await Promise.all([a!.server.notifier.flush(), b!.server.notifier.flush()]);
    expect(readInbox(bobsInbox.doc).filter((i) => i.kind === "mention" && i.messageId === "m1")).toHaveLength(1);
    expect(readIndex(indexOnA.doc)).toHaveLength(1);
    expect(readIndex(indexOnA.doc)[0]).toMatchObject({ messageCount: 1 });
  });

  it("CLU-6 /api/health reports the store and Redis", async () => {
    const [a] = await cluster(1);
    const health = await api(a!.url, "/api/health");
    expect(health.body).toEqual({ ok: true, store: "ok", redis: "ok" });
  });
});
