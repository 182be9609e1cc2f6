// ChatGPT's data export (`conversations.json`): a list of conversations, each a tree of
// message nodes (`mapping`) of which `current_node` is the leaf the user last saw. The branch
// shown is that leaf's chain of parents (SPEC XFER-4); edits and regenerations left on other
// branches are not imported.
import { z } from "zod";
import { ImportError } from "./errors";
import { CONVERSATION_FORMAT, FORMAT_VERSION, type ImportLimits } from "./formats";

const id = z.string().max(200);
const node = z.object({
  parent: id.nullish(),
  message: z.object({
    id: id.nullish(),
    author: z.object({ role: z.string().max(64) }),
    create_time: z.number().nullish(),
    content: z.object({ content_type: z.string().max(64).nullish(), parts: z.array(z.unknown()).nullish(), text: z.string().nullish() }).nullish(),
    metadata: z.object({ model_slug: z.string().max(200).nullish(), is_visually_hidden_from_conversation: z.boolean().nullish() }).nullish(),
    recipient: z.string().max(200).nullish(),
  }).nullish(),
});

function conversationSchema(limits: ImportLimits) {
  return z.object({
    title: z.string().nullish(),
    create_time: z.number().nullish(),
    current_node: id.nullish(),
    mapping: z.record(id, node).refine((m) => Object.keys(m).length <= limits.maxMessagesPerConversation * 4, `at most ${limits.maxMessagesPerConversation * 4} nodes`),
  });
}

type ChatGptConversation = z.infer<ReturnType<typeof conversationSchema>>;
type ChatGptNode = z.infer<typeof node>;

export function looksLikeChatGpt(value: unknown): boolean {
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "object" && first !== null && "mapping" in first;
}

/** ChatGPT conversations in JunoKit's JSON shape; the caller validates sizes and fields. */
export function fromChatGpt(value: unknown, limits: ImportLimits, importer: { id: string; name: string }): unknown[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length > limits.maxConversations) throw new ImportError(413, "too_large", `at most ${limits.maxConversations} conversations per import`);
  const schema = conversationSchema(limits);
  return list.map((raw, i) => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new ImportError(400, "invalid_file", `ChatGPT conversation ${i + 1}: ${issue.path.join(".") || "value"}: ${issue.message}`);
    }
    return toJunoKit(parsed.data, importer);
  });
}

function toJunoKit(c: ChatGptConversation, importer: { id: string; name: string }) {
  const start = (c.create_time ?? 0) * 1000;
  const messages: Record<string, unknown>[] = [];
  let lastTime = start;
  let lastQuestion: string | undefined;
  for (const [nodeId, n] of branch(c)) {
    const m = n.message;
    const role = m?.author.role;
    if (!m || (role !== "user" && role !== "assistant")) continue; // system prompts, tool calls and results
    if (m.metadata?.is_visually_hidden_from_conversation || (m.recipient && m.recipient !== "all")) continue;
    const text = textOf(m.content);
    if (!text.trim()) continue;
    lastTime = m.create_time ? m.create_time * 1000 : lastTime;
    const messageId = m.id || nodeId;
    const message: Record<string, unknown> = {
      id: messageId, role, createdAt: lastTime, text, status: "done",
      authorId: role === "user" ? importer.id : "ai", authorName: role === "user" ? importer.name : "ChatGPT",
    };
    if (role === "assistant") {
      if (lastQuestion) message.replyTo = lastQuestion;
      if (m.metadata?.model_slug) message.model = m.metadata.model_slug;
    } else {
      lastQuestion = messageId;
    }
    messages.push(message);
  }
  return {
    format: CONVERSATION_FORMAT, version: FORMAT_VERSION,
    meta: { title: (c.title ?? "").slice(0, 200) || "ChatGPT conversation", persona: "dev", ai: "auto", createdAt: start },
    messages,
  };
}

/** The nodes from the root to `current_node` (or to the newest leaf when it is missing). */
function branch(c: ChatGptConversation): [string, ChatGptNode][] {
  const mapping = new Map(Object.entries(c.mapping));
  let at = c.current_node && mapping.has(c.current_node) ? c.current_node : newestLeaf(mapping);
  const chain: [string, ChatGptNode][] = [];
  const seen = new Set<string>();
  // A hostile file can make parents loop; each node is visited once.
  while (at && mapping.has(at) && !seen.has(at)) {
    seen.add(at);
    const n = mapping.get(at)!;
    chain.push([at, n]);
    at = n.parent ?? undefined;
  }
  return chain.reverse();
}

function newestLeaf(mapping: Map<string, ChatGptNode>): string | undefined {
  const parents = new Set([...mapping.values()].map((n) => n.parent).filter(Boolean));
  let best: [string, number] | undefined;
  for (const [key, n] of mapping) {
    if (parents.has(key)) continue;
    const t = n.message?.create_time ?? 0;
    if (!best || t > best[1]) best = [key, t];
  }
  return best?.[0];
}

function textOf(content: NonNullable<ChatGptNode["message"]>["content"]): string {
  if (!content) return "";
  // Text parts are strings; images and files are objects and are left out.
  const parts = (content.parts ?? []).filter((p): p is string => typeof p === "string");
  if (parts.length > 0) return parts.join("\n");
  return content.text ?? "";
}
