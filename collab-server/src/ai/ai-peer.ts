import { countTokens } from "gpt-tokenizer/encoding/cl100k_base";
import { nanoid } from "nanoid";
import { attachToConversations } from "../collab";
import type { Logger } from "../log";
import type { ClaimStore } from "../storage";
import { ConversationPeer, type PeerDeps, type ReplyReport } from "./conversation-peer";
import type { Deadlines } from "./deadlines";
import type { PromptLimits } from "./limits";
import { builtInPersonasOnly, type PersonaFinder } from "./personas";
import type { AiProvider } from "./provider";
import { MIN_WRITE_GAP_MS } from "./reply-writer";

export interface AiPeerOptions {
  provider: AiProvider;
  /** The exactly-once seam: each prompt is claimed here before it is answered. */
  claims: ClaimStore;
  limits: PromptLimits;
  logger: Logger;
  deadlines: Deadlines;
  /** Input tokens a prompt may use (SPEC AI-12). */
  contextTokens: number;
  /** Looks up a workspace's custom personas (SPEC AI-19); default: built-ins only. */
  findPersona?: PersonaFinder;
  /** Least time between two document updates of a streaming reply (default MIN_WRITE_GAP_MS: ≤ 30 updates/s, the first and last included). */
  writeIntervalMs?: number;
  /** Names this process as the owner of its claims (default: random per start). */
  instanceId?: string;
  /** Other instances share the documents (Redis): replies of theirs are judged by lease (SPEC AI-6). */
  clustered?: boolean;
  onReply?: (report: ReplyReport) => void;
}

/**
 * The AI as a server-side peer of every loaded conversation (DESIGN.md §5): a Hocuspocus
 * extension the composition root passes to the collab layer.
 */
export function createAiPeer(options: AiPeerOptions) {
  const logger = options.logger.child({ component: "ai" });
  let closing = false;
  const shared: Omit<PeerDeps, "instance"> = {
    provider: options.provider,
    claims: options.claims,
    limits: options.limits,
    logger,
    deadlines: options.deadlines,
    contextTokens: options.contextTokens,
    writeIntervalMs: options.writeIntervalMs ?? MIN_WRITE_GAP_MS,
    instanceId: options.instanceId ?? nanoid(12),
    // cl100k is a close enough count for today's models; the budget keeps a margin anyway.
    countTokens: (text) => countTokens(text),
    findPersona: options.findPersona ?? builtInPersonasOnly,
    isClosing: () => closing,
    solo: !options.clustered,
    activeReplies: new Set(),
    ...(options.onReply ? { onReply: options.onReply } : {}),
  };

  const { extension, attached: conversations } = attachToConversations("the AI peer", logger, ({ document, documentName, workspaceId, instance }) =>
    new ConversationPeer(document, documentName, workspaceId, { ...shared, instance }));

  return {
    extension,
    describe: () => options.provider.describe(),
    /** A workspace's personas changed: its loaded conversations look theirs up again. */
    personasChanged(workspaceId: string): void {
      for (const peer of conversations.values()) if (peer.workspaceId === workspaceId) void peer.refreshPersona();
    },
    /** Ends replies in flight (marked interrupted), keeps queued prompts for the next start. */
    async close(): Promise<void> {
      closing = true;
      await Promise.all([...conversations.values()].map((peer) => peer.shutdown()));
    },
  };
}

export type AiPeer = ReturnType<typeof createAiPeer>;
