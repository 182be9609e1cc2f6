// Custom personas of a workspace (SPEC AI-19): the HTTP API and its role checks, the mirror in
// the workspace index, and the AI peer answering as a custom persona (prompt, model and
// temperature upstream), following switches, edits and deletions, never across workspaces.
import {
  builtInPersona, findNoteEdit, readIndexPersonas, readNoteEdit, requestNoteEdit, syncIndexPersonas, workspaceIndexDocName, writeMeta, type Persona,
} from "@junokit/doc-model";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startOpenAiSse, streamOf, type OpenAiSse } from "../support/openai-sse";
import { addMember, api, register, until, workspaceWithConversation, type Peer, type Session, type TestServer } from "../support/server";
import { aiPeerState, aiServer, open, say, settled, TEST_MODEL, untilPresence } from "./ai-support";

let sse: OpenAiSse;
let t: TestServer;
const peers: Peer[] = [];
const DEV = builtInPersona("dev")!;
// The operator's list of models a persona may name (AI_ALLOWED_MODELS; TEST_MODEL is always in).
const ALLOWED = ["vendor/pirate-13b", "vendor/captain"];

beforeAll(async () => {
  sse = await startOpenAiSse();
  t = await aiServer(sse, { AI_ALLOWED_MODELS: ALLOWED.join(",") });
});
afterAll(async () => {
  peers.forEach((p) => p.destroy());
  await t?.close();
  await sse?.close();
});

const PIRATE = {
  name: "Pirate",
  color: "#b45309",
  systemPrompt: "You are Pirate, a salty sea captain. Answer every question in pirate speak, briefly.",
  starters: ["Tell me a sea shanty"],
  model: "vendor/pirate-13b",
  temperature: 1.3,
};

/** A persona as the API answers it, or its error. */
type Answer = Persona & { builtIn: boolean; error: { code: string; message: string } };

function personas(owner: Session, workspaceId: string, server = t) {
  const path = `/api/workspaces/${workspaceId}/personas`;
  const t = server;
  return {
    models: (who = owner) => api(t.url, `${path}/models`, { token: who.token }),
    list: (who = owner) => api<(Persona & { builtIn: boolean })[]>(t.url, path, { token: who.token }),
    create: (body: unknown, who = owner) => api<Answer>(t.url, path, { token: who.token, body }),
    patch: (id: string, body: unknown, who = owner) => api(t.url, `${path}/${id}`, { method: "PATCH", token: who.token, body }),
    put: (id: string, body: unknown, who = owner) => api(t.url, `${path}/${id}`, { method: "PUT", token: who.token, body }),
    remove: (id: string, who = owner) => api(t.url, `${path}/${id}`, { method: "DELETE", token: who.token }),
  };
}

async function workspaceWithPersona(persona: object = PIRATE) {
  const c = await workspaceWithConversation(t.url);
  const p = personas(c.owner, c.workspaceId);
  const created = await p.create(persona);
  expect(created.status).toBe(201);
  return { ...c, p, persona: created.body };
}

describe("custom personas: HTTP API", () => {
  it("AI-19 owners create, change and delete personas; every member lists built-ins and custom ones; editors and viewers get 403", async () => {
    const { owner, workspaceId, p, persona } = await workspaceWithPersona();
    const editor = await addMember(t.url, owner, workspaceId, "editor");
    const viewer = await addMember(t.url, owner, workspaceId, "viewer");
    expect(persona).toMatchObject({ ...PIRATE, builtIn: false });
    expect(persona.id).toMatch(/^[A-Za-z0-9_-]{12}$/);

    const listed = await p.list(viewer);
    expect(listed.status).toBe(200);
    expect(listed.body.map((x) => x.id)).toEqual(["dev", "ops", "qa", "sales", "media", persona.id]);

    for (const who of [editor, viewer]) {
      expect((await p.create({ ...PIRATE, name: "Sneaky" }, who)).status).toBe(403);
      expect((await p.patch(persona.id, { name: "Taken over" }, who)).status).toBe(403);
      expect((await p.remove(persona.id, who)).status).toBe(403);
    }

    const patched = await p.patch(persona.id, { name: "Captain", temperature: null });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: "Captain", model: PIRATE.model, systemPrompt: PIRATE.systemPrompt });
    expect(patched.body.temperature).toBeUndefined();
    // PUT replaces whole: the model and starters it leaves out are gone.
    const put = await p.put(persona.id, { name: "Captain", color: "#123456", systemPrompt: "Short." });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ id: persona.id, name: "Captain", color: "#123456", systemPrompt: "Short.", starters: [] });
    expect(put.body.model).toBeUndefined();

    expect((await p.remove(persona.id)).status).toBe(204);
    expect((await p.list()).body.map((x) => x.id)).toEqual(["dev", "ops", "qa", "sales", "media"]);
    expect((await p.remove(persona.id)).status).toBe(404);
  });

  it("AI-19 API-1 bad input gets 400 naming the field; built-ins cannot change; unknown ids 404; a taken name 409", async () => {
    const { owner, workspaceId, p, persona } = await workspaceWithPersona();
    const bad: [object, string][] = [
      [{ ...PIRATE, name: "x".repeat(41) }, "name"],
      [{ ...PIRATE, name: "  " }, "name"],
      [{ ...PIRATE, name: "dev" }, "name"],
      [{ ...PIRATE, systemPrompt: "" }, "systemPrompt"],
      [{ ...PIRATE, systemPrompt: "x".repeat(8001) }, "systemPrompt"],
      [{ ...PIRATE, temperature: 2.5 }, "temperature"],
      [{ ...PIRATE, temperature: "hot" }, "temperature"],
      [{ ...PIRATE, color: "red" }, "color"],
      [{ ...PIRATE, model: "two words" }, "model"],
      [{ ...PIRATE, starters: ["a", "b", "c", "d", "e", "f"] }, "starters"],
      [{ ...PIRATE, prompt: "typo of systemPrompt" }, "prompt"],
      [{ name: "No prompt" }, "systemPrompt"],
    ];
    for (const [body, field] of bad) {
      const res = await p.create(body);
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(res.body.error.message).toContain(field);
    }
    expect((await api(t.url, `/api/workspaces/${workspaceId}/personas`, { token: owner.token, body: "{not json" })).status).toBe(400);
    expect((await p.patch(persona.id, { temperature: -1 })).status).toBe(400);
    const builtIn = await p.patch("dev", { name: "Developer" });
    expect(builtIn.status).toBe(400);
    expect(builtIn.body.error.message).toContain("built-in");
    expect((await p.remove("qa")).status).toBe(400);
    expect((await p.patch("nope-nope-nope", { name: "X" })).status).toBe(404);
    const taken = await p.create({ ...PIRATE, name: "pirate" });
    expect(taken.status).toBe(409);
    expect(taken.body.error.message).toContain("pirate");
  });

  it("AI-19 a model outside AI_ALLOWED_MODELS is refused with 400 naming the allowed ones, on create, replace and patch; members read the allowed models", async () => {
    const { owner, workspaceId, p, persona } = await workspaceWithPersona();
    const viewer = await addMember(t.url, owner, workspaceId, "viewer");
    const refusals = [
      await p.create({ ...PIRATE, name: "Spender", model: "vendor/expensive-405b" }),
      await p.put(persona.id, { ...PIRATE, model: "vendor/expensive-405b" }),
      await p.patch(persona.id, { model: "vendor/expensive-405b" }),
    ];
    for (const res of refusals) {
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain("model: vendor/expensive-405b is not allowed");
      for (const model of [TEST_MODEL, ...ALLOWED]) expect(res.body.error.message).toContain(model);
    }
    expect((await p.list()).body.map((x) => x.name)).not.toContain("Spender");
    expect((await p.patch(persona.id, { model: "vendor/captain" })).status).toBe(200);
    const models = await p.models(viewer);
    expect(models.status).toBe(200);
    expect(models.body).toEqual({ defaultModel: TEST_MODEL, models: [TEST_MODEL, ...ALLOWED], anyModel: false });
    expect((await p.models(await register(t.url))).status).toBe(404);
  });

  it("AI-19 S5 PUT replaces the whole persona: a colour it leaves out is the default #0f766e, not the old one", async () => {
    const { p, persona } = await workspaceWithPersona();
    expect(persona.color).toBe(PIRATE.color);
    const put = await p.put(persona.id, { name: "Pirate", systemPrompt: "Short." });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ color: "#0f766e", starters: [] });
    expect((await p.list()).body.find((x) => x.id === persona.id)!.color).toBe("#0f766e");
  });

  it("AI-19 the limits hold under concurrent requests: 60 at once make exactly 50 personas, one name taken by many at once is created once", async () => {
    const c = await workspaceWithConversation(t.url);
    const p = personas(c.owner, c.workspaceId);
    const many = await Promise.all(Array.from({ length: 60 }, (_, i) => p.create({ ...PIRATE, name: `Pirate ${i}` })));
    expect(many.filter((r) => r.status === 201)).toHaveLength(50);
    expect(many.filter((r) => r.status === 400)).toHaveLength(10);
    expect((await p.list()).body.filter((x) => !x.builtIn)).toHaveLength(50);

    const d = await workspaceWithConversation(t.url);
    const q = personas(d.owner, d.workspaceId);
    const same = await Promise.all(Array.from({ length: 8 }, () => q.create(PIRATE)));
    expect(same.filter((r) => r.status === 201)).toHaveLength(1);
    expect(same.filter((r) => r.status === 409)).toHaveLength(7);
    expect((await q.list()).body.filter((x) => !x.builtIn)).toHaveLength(1);
  });

  it("AI-19 a persona mirror lost from the workspace index comes back when the index loads again", async () => {
    const s = await aiServer(sse, { AI_ALLOWED_MODELS: ALLOWED.join(",") });
    let restarted: TestServer | undefined;
    try {
      const c = await workspaceWithConversation(s.url);
      const created = await personas(c.owner, c.workspaceId, s).create(PIRATE);
      expect(created.status).toBe(201);
      const indexName = workspaceIndexDocName(c.workspaceId);
      // As a failed mirror write or an index restored from an older backup would leave it.
      await s.server.collab.writer.change(indexName, (doc) => syncIndexPersonas(doc, []));
      await s.close({ keepData: true });
      restarted = await aiServer(sse, { AI_ALLOWED_MODELS: ALLOWED.join(",") }, { dataDir: s.dataDir });
      const index = await open(restarted.wsUrl, indexName, c.owner, peers);
      await until(index.doc, () => readIndexPersonas(index.doc).length === 1);
      expect(readIndexPersonas(index.doc)[0]).toEqual({ id: created.body.id, ...PIRATE });
    } finally {
      await (restarted ?? s).close();
    }
  });

  it("AI-19 a persona of one workspace is unknown in another: 404 to edit, 400 to start a conversation with", async () => {
    const a = await workspaceWithPersona();
    const b = await workspaceWithConversation(t.url);
    // B's owner is not in A: A's personas stay hidden.
    expect((await personas(b.owner, a.workspaceId).list()).status).toBe(404);
    // A's owner, also an owner of B, cannot reach A's persona through B.
    await api(t.url, `/api/workspaces/${b.workspaceId}/members`, { token: b.owner.token, body: { username: a.owner.user.username, role: "owner" } });
    expect((await personas(a.owner, b.workspaceId).patch(a.persona.id, { name: "Moved" })).status).toBe(404);
    const started = await api(t.url, `/api/workspaces/${b.workspaceId}/conversations`, { token: a.owner.token, body: { persona: a.persona.id } });
    expect(started.status).toBe(400);
    expect(started.body.error.message).toContain("persona");
    const inA = await api(t.url, `/api/workspaces/${a.workspaceId}/conversations`, { token: a.owner.token, body: { persona: a.persona.id } });
    expect(inA.status).toBe(201);
    expect((await api(t.url, `/api/workspaces/${a.workspaceId}/conversations`, { token: a.owner.token, body: { persona: "nobody" } })).status).toBe(400);
  });

  it("AI-19 XFER-3 an import keeps a persona of the workspace it lands in, and makes another workspace's Dev", async () => {
    const a = await workspaceWithPersona();
    const conv = await api(t.url, `/api/workspaces/${a.workspaceId}/conversations`, { token: a.owner.token, body: { title: "Ahoy", persona: a.persona.id, ai: "off" } });
    const exported = await api(t.url, `/api/workspaces/${a.workspaceId}/conversations/${conv.body.id}/export?format=json`, { token: a.owner.token });
    expect(exported.body.meta.persona).toBe(a.persona.id);
    const again = await api(t.url, `/api/workspaces/${a.workspaceId}/import`, { token: a.owner.token, body: exported.body });
    expect(again.status).toBe(201);
    const listed = await api(t.url, `/api/workspaces/${a.workspaceId}/conversations`, { token: a.owner.token });
    expect(listed.body.find((c: { id: string }) => c.id === again.body.conversations[0].id).persona).toBe(a.persona.id);
    const b = await workspaceWithConversation(t.url);
    const elsewhere = await api(t.url, `/api/workspaces/${b.workspaceId}/import`, { token: b.owner.token, body: exported.body });
    expect(elsewhere.status).toBe(201);
    const inB = await api(t.url, `/api/workspaces/${b.workspaceId}/conversations`, { token: b.owner.token });
    expect(inB.body.find((c: { id: string }) => c.id === elsewhere.body.conversations[0].id).persona).toBe("dev");
  });

  it("AI-19 the workspace index mirrors the custom personas live for every member", async () => {
    const c = await workspaceWithConversation(t.url);
    const viewer = await addMember(t.url, c.owner, c.workspaceId, "viewer");
    const index = await open(t.wsUrl, workspaceIndexDocName(c.workspaceId), viewer, peers);
    const p = personas(c.owner, c.workspaceId);
    const created = (await p.create(PIRATE)).body;
    await until(index.doc, () => readIndexPersonas(index.doc).length === 1);
    expect(readIndexPersonas(index.doc)[0]).toEqual({ id: created.id, ...PIRATE });
    await p.patch(created.id, { color: "#0000ff", model: null });
    await until(index.doc, () => readIndexPersonas(index.doc)[0]?.color === "#0000ff");
    expect(readIndexPersonas(index.doc)[0]!.model).toBeUndefined();
    await p.remove(created.id);
    await until(index.doc, () => readIndexPersonas(index.doc).length === 0);
  });
});

describe("custom personas: the AI peer", () => {
  it("AI-19 AI-2 a custom persona's prompt, model and temperature reach the endpoint; the reply and presence follow it", async () => {
    const { owner, workspaceId, persona } = await workspaceWithPersona();
    const conv = await api(t.url, `/api/workspaces/${workspaceId}/conversations`, { token: owner.token, body: { title: "Ahoy", persona: persona.id } });
    const a = await open(t.wsUrl, conv.body.docName, owner, peers);
    await untilPresence(a, (s) => s.user.name === PIRATE.name && s.user.color === PIRATE.color && s.ai.model === PIRATE.model);
    sse.when("pirate-ask", { steps: streamOf("Arr, aye.") });
    const asked = say(a, owner, "pirate-ask: how are you?");
    const reply = await settled(a, asked);
    expect(reply).toMatchObject({ status: "done", text: "Arr, aye.", authorName: PIRATE.name, model: PIRATE.model });
    const request = sse.requestsFor("pirate-ask")[0]!;
    expect(request.body.model).toBe(PIRATE.model);
    expect(request.body.temperature).toBe(PIRATE.temperature);
    expect(request.body.messages![0]).toMatchObject({ role: "system" });
    expect(request.body.messages![0]!.content).toContain(PIRATE.systemPrompt);
    expect(request.body.messages![0]!.content).not.toContain(DEV.systemPrompt);
  });

  it("AI-19 switching to a custom persona, editing it, then deleting it: presence and replies follow, a deleted one is Dev", async () => {
    const { owner, docName, p, persona } = await workspaceWithPersona({ ...PIRATE, model: undefined, temperature: 0 });
    const a = await open(t.wsUrl, docName, owner, peers);
    await untilPresence(a, (s) => s.user.name === DEV.name);
    writeMeta(a.doc, { persona: persona.id });
    await untilPresence(a, (s) => s.user.name === PIRATE.name && s.user.color === PIRATE.color && s.ai.model === TEST_MODEL);

    sse.when("switched-ask", { steps: streamOf("Yo ho.") });
    const first = await settled(a, say(a, owner, "switched-ask"));
    expect(first).toMatchObject({ authorName: PIRATE.name, model: TEST_MODEL });
    const asked = sse.requestsFor("switched-ask")[0]!.body;
    expect(asked).toMatchObject({ model: TEST_MODEL, temperature: 0 });

    // An owner's edit reaches the loaded conversation's AI without a switch.
    await p.patch(persona.id, { name: "Captain", color: "#1d4ed8", systemPrompt: "You are Captain, terse.", model: "vendor/captain" });
    await untilPresence(a, (s) => s.user.name === "Captain" && s.user.color === "#1d4ed8" && s.ai.model === "vendor/captain");
    sse.when("edited-ask", { steps: streamOf("Aye.") });
    expect(await settled(a, say(a, owner, "edited-ask"))).toMatchObject({ authorName: "Captain", model: "vendor/captain" });
    expect(sse.requestsFor("edited-ask")[0]!.body.messages![0]!.content).toContain("You are Captain, terse.");

    expect((await p.remove(persona.id)).status).toBe(204);
    await untilPresence(a, (s) => s.user.name === DEV.name && s.user.color === DEV.color && s.ai.model === TEST_MODEL);
    sse.when("deleted-ask", { steps: streamOf("Dev here.") });
    expect(await settled(a, say(a, owner, "deleted-ask"))).toMatchObject({ status: "done", authorName: DEV.name, model: TEST_MODEL });
    const fallback = sse.requestsFor("deleted-ask")[0]!.body;
    expect(fallback.model).toBe(TEST_MODEL);
    expect(fallback.temperature).toBeUndefined();
    expect(fallback.messages![0]!.content).toContain(DEV.systemPrompt);
  });

  it("AI-19 a persona whose model the operator no longer allows is answered with AI_MODEL (its prompt and temperature kept)", async () => {
    const wide = await aiServer(sse, { AI_ALLOWED_MODELS: ALLOWED.join(",") });
    let narrow: TestServer | undefined;
    try {
      const c = await workspaceWithConversation(wide.url);
      const created = await personas(c.owner, c.workspaceId, wide).create(PIRATE);
      expect(created.status).toBe(201);
      const conv = await api(wide.url, `/api/workspaces/${c.workspaceId}/conversations`, { token: c.owner.token, body: { persona: created.body.id } });
      await wide.close({ keepData: true });
      // Restarted without AI_ALLOWED_MODELS: only AI_MODEL is allowed now.
      narrow = await aiServer(sse, {}, { dataDir: wide.dataDir });
      const a = await open(narrow.wsUrl, conv.body.docName, c.owner, peers);
      await untilPresence(a, (s) => s.user.name === PIRATE.name && s.ai.model === TEST_MODEL);
      sse.when("narrowed-ask", { steps: streamOf("Arr.") });
      expect(await settled(a, say(a, c.owner, "narrowed-ask"))).toMatchObject({ status: "done", authorName: PIRATE.name, model: TEST_MODEL });
      const request = sse.requestsFor("narrowed-ask")[0]!.body;
      expect(request).toMatchObject({ model: TEST_MODEL, temperature: PIRATE.temperature });
      expect(request.messages![0]!.content).toContain(PIRATE.systemPrompt);
    } finally {
      await (narrow ?? wide).close();
    }
  });

  it("AI-19 a conversation set to another workspace's persona is answered as Dev, never with that persona's prompt or model", async () => {
    const a = await workspaceWithPersona();
    const b = await workspaceWithConversation(t.url);
    const peer = await open(t.wsUrl, b.docName, b.owner, peers);
    writeMeta(peer.doc, { persona: a.persona.id });
    sse.when("foreign-ask", { steps: streamOf("Plain answer.") });
    const reply = await settled(peer, say(peer, b.owner, "foreign-ask"));
    expect(reply).toMatchObject({ status: "done", authorName: DEV.name, model: TEST_MODEL });
    const request = sse.requestsFor("foreign-ask")[0]!.body;
    expect(request.model).toBe(TEST_MODEL);
    expect(request.temperature).toBeUndefined();
    expect(JSON.stringify(request.messages)).not.toContain(PIRATE.systemPrompt);
    expect(aiPeerState(peer)!.user.name).toBe(DEV.name);
  });

  it("AI-19 NOTE-3 the notes AI writes as the conversation's custom persona: its prompt, model and temperature", async () => {
    const { owner, workspaceId, persona } = await workspaceWithPersona();
    const conv = await api(t.url, `/api/workspaces/${workspaceId}/conversations`, { token: owner.token, body: { persona: persona.id, ai: "off" } });
    const a = await open(t.wsUrl, conv.body.docName, owner, peers);
    sse.when((r) => JSON.stringify(r.body.messages).includes("pirate-notes"), { steps: streamOf("Hoist the sails.") });
    const id = "pirate-note-1";
    requestNoteEdit(a.doc, { id, kind: "continue", instruction: "pirate-notes", requestedBy: owner.user.id, requestedByName: owner.user.displayName, createdAt: Date.now() });
    await until(a.doc, () => readNoteEdit(findNoteEdit(a.doc, id)!).status === "done");
    expect(readNoteEdit(findNoteEdit(a.doc, id)!)).toMatchObject({ persona: persona.id, model: PIRATE.model });
    const request = sse.requests.find((r) => JSON.stringify(r.body.messages).includes("pirate-notes"))!.body;
    expect(request).toMatchObject({ model: PIRATE.model, temperature: PIRATE.temperature });
    expect(request.messages![0]!.content).toContain(PIRATE.systemPrompt);
  });
});
