// Shared steps of the AI peer's integration tests: a JunoKit server pointed at the local
// OpenAI-compatible endpoint, people posting messages, and waits on the AI's presence.
import { appendMessage, readAiPresence, readMessages, readPeer, type AiPresence, type Message, type PeerState } from "@junokit/doc-model";
import { afterAll, beforeAll } from "vitest";
import { connect, startTestServer, until, type Peer, type Session, type StartOptions, type TestServer } from "../support/server";
import { startOpenAiSse, type OpenAiSse } from "../support/openai-sse";

export const TEST_KEY = "sk-test-7f3a9c1e5b2d4f6a8c0e";
export const TEST_MODEL = "test/model-r1";

export function aiServer(sse: OpenAiSse, env: Record<string, string> = {}, options: Omit<StartOptions, "env"> = {}) {
  return startTestServer({
    ...options,
    env: { AI_BASE_URL: sse.baseUrl, AI_API_KEY: TEST_KEY, AI_MODEL: TEST_MODEL, AI_RETRY_DELAY_MS: "5", ...env },
  });
}

/** What a file of AI tests shares: the scripted endpoint, a server on it, and the peers to close. */
export interface AiStage {
  sse: OpenAiSse;
  server: TestServer;
  peers: Peer[];
}

/** Starts the endpoint and a server on it before the file's tests, and stops both after them. */
export function aiStage(env: Record<string, string> = {}): AiStage {
  const stage = { peers: [] as Peer[] } as AiStage;
  beforeAll(async () => {
    stage.sse = await startOpenAiSse();
    stage.server = await aiServer(stage.sse, env);
  });
  afterAll(async () => {
    stage.peers.forEach((p) => p.destroy());
    await stage.server?.close();
    await stage.sse?.close();
  });
  return stage;
}

let counter = 0;

/** A person posts `text`; returns the new message's id. */
export function say(peer: Peer, who: Session, text: string, extra: { editOf?: string } = {}): string {
  const id = `m${++counter}x${Math.random().toString(36).slice(2, 8)}`;
  appendMessage(peer.doc, { id, role: "user", authorId: who.user.id, authorName: who.user.displayName, createdAt: Date.now(), text, ...extra });
  return id;
}

export function replies(peer: Peer, to: string): Message[] {
  return readMessages(peer.doc).filter((m) => m.role === "assistant" && m.replyTo === to);
}

export function replyTo(peer: Peer, to: string): Message | undefined {
  return replies(peer, to).at(-1);
}

export function message(peer: Peer, id: string): Message | undefined {
  return readMessages(peer.doc).find((m) => m.id === id);
}

/** Resolves once the reply to `to` has left `streaming`. */
export async function settled(peer: Peer, to: string, timeoutMs = 10_000): Promise<Message> {
  await until(peer.doc, () => {
    const r = replyTo(peer, to);
    return !!r && r.status !== "streaming";
  }, timeoutMs);
  return replyTo(peer, to)!;
}

export function aiPeerState(peer: Peer): (PeerState & { ai: AiPresence }) | null {
  for (const state of peer.awareness().getStates().values()) {
    const p = readPeer(state);
    const ai = readAiPresence(state);
    if (p?.user.kind === "ai" && ai) return { ...p, ai };
  }
  return null;
}

/** Resolves when the AI peer's awareness, as this peer sees it, satisfies `predicate`. */
export function untilPresence(peer: Peer, predicate: (s: PeerState & { ai: AiPresence }) => boolean, timeoutMs = 10_000): Promise<void> {
  const awareness = peer.awareness();
  return new Promise((resolve, reject) => {
    const check = () => {
      const s = aiPeerState(peer);
      if (!s || !predicate(s)) return;
      clearTimeout(timer);
      awareness.off("change", check);
      resolve();
    };
    const timer = setTimeout(() => {
      awareness.off("change", check);
      reject(new Error(`AI presence not reached in time; last: ${JSON.stringify(aiPeerState(peer))}`));
    }, timeoutMs);
    awareness.on("change", check);
    check();
  });
}

export async function open(wsUrl: string, docName: string, who: Session, peers: Peer[]): Promise<Peer> {
  const peer = connect(wsUrl, docName, who.token);
  peers.push(peer);
  await peer.synced;
  return peer;
}
