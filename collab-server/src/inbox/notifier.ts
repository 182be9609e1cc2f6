import type { Extension } from "@hocuspocus/server";
import {
  AI_AUTHOR_ID, appendInboxItem, findMessage, inboxDocName, mentionedUsernames, messageId, observeMessageEvents,
  parseDocName, readMessage, type InboxItem, type MessageMap,
} from "@junokit/doc-model";
import { nanoid } from "nanoid";
import type * as Y from "yjs";
import type { PublicUser } from "../auth";
import { personOf, type CollabContext } from "../collab";
import type { Logger } from "../log";
import type { AccountStore, ClaimStore, Role, WorkspaceStore } from "../storage";
import type { DocumentWriter } from "../workspaces";

const PREVIEW_CHARS = 140;

export interface NotifierOptions {
  store: AccountStore & WorkspaceStore & ClaimStore;
  writer: DocumentWriter;
  logger: Logger;
}

type Notice = Omit<InboxItem, "id" | "createdAt" | "read">;

/**
 * Writes inbox items (SPEC INBOX-1..3): a mention of a member in a person's new message, an
 * AI reply that finished (to whoever asked), and being added to a workspace. Each item is
 * claimed in the store first, so several instances watching one document notify once.
 */
export function createNotifier({ store, writer, logger }: NotifierOptions) {
  const stops = new Map<string, () => void>();
  const inFlight = new Set<Promise<void>>();

  async function deliver(userId: string, notice: Notice, claim?: string): Promise<void> {
    if (claim && !(await store.claimOnce(claim, "inbox"))) return;
    const item: InboxItem = { ...notice, id: nanoid(12), createdAt: Date.now(), read: false };
    await writer.change(inboxDocName(userId), (doc) => appendInboxItem(doc, item));
    logger.debug({ userId, kind: item.kind, workspaceId: item.workspaceId }, "inbox item written");
  }

  function track(job: Promise<void>, what: Record<string, unknown>): Promise<void> {
    const logged = job.catch((err) => logger.error({ err, ...what }, "writing a notification failed"));
    inFlight.add(logged);
    void logged.finally(() => inFlight.delete(logged));
    return logged;
  }

  async function isMember(workspaceId: string, userId: string): Promise<boolean> {
    return (await store.getRole(workspaceId, userId)) !== null;
  }

  async function notifyMentions(workspaceId: string, conversationId: string, docName: string, author: PublicUser, map: MessageMap) {
    const message = readMessage(map);
    for (const username of mentionedUsernames(message.text)) {
      const user = await store.getUserByUsername(username);
      if (!user || user.id === author.id || !(await isMember(workspaceId, user.id))) continue;
      const text = preview(`${author.displayName || author.username}: ${message.text}`);
      await deliver(user.id, { kind: "mention", workspaceId, conversationId, messageId: message.id, from: author.id, text }, `inbox/mention/${docName}/${message.id}/${user.id}`);
    }
  }

  /** The person whose message a finished reply answers, unless it was written together with it (an import). */
  function askerOf(doc: Y.Doc, reply: MessageMap, batch: readonly MessageMap[]): string | null {
    const message = readMessage(reply);
    if (message.role !== "assistant" || message.status !== "done" || !message.replyTo) return null;
    if (batch.some((m) => messageId(m) === message.replyTo)) return null;
    const question = findMessage(doc, message.replyTo);
    const asker = question ? readMessage(question).authorId : "";
    return asker && asker !== AI_AUTHOR_ID ? asker : null;
  }

  async function notifyReply(workspaceId: string, conversationId: string, docName: string, asker: string, reply: MessageMap) {
    if (!(await isMember(workspaceId, asker))) return;
    const message = readMessage(reply);
    const notice = { kind: "ai-reply", workspaceId, conversationId, messageId: message.id, from: AI_AUTHOR_ID, text: preview(message.text) };
    await deliver(asker, notice, `inbox/ai-reply/${docName}/${message.id}`);
  }

  function watch(docName: string, doc: Y.Doc): () => void {
    const address = parseDocName(docName);
    if (address?.kind !== "conversation") return () => {};
    const { workspaceId, conversationId } = address;
    const where = { doc: docName };
    const onReply = (map: MessageMap, batch: readonly MessageMap[]) => {
      const asker = askerOf(doc, map, batch);
      if (asker) track(notifyReply(workspaceId, conversationId, docName, asker, map), where);
    };
    return observeMessageEvents(doc, {
      onAdded(map, origin, batch) {
        // Only people mention people; the author is who sent the update, whatever the message claims.
        const author = personOf(origin);
        if (author) track(notifyMentions(workspaceId, conversationId, docName, author, map), where);
        onReply(map, batch);
      },
      onStatus(map, status) {
        if (status === "done") onReply(map, []);
      },
    });
  }

  const extension: Extension<CollabContext> = {
    extensionName: "junokit-notifier",
    async afterLoadDocument({ documentName, document }) {
      if (parseDocName(documentName)?.kind === "conversation") stops.set(documentName, watch(documentName, document));
    },
    async afterUnloadDocument({ documentName }) {
      stops.get(documentName)?.();
      stops.delete(documentName);
    },
  };

  return {
    extension,

    /** Someone was given a role in a workspace they were not in before; never rejects. */
    memberAdded(workspaceId: string, userId: string, role: Role, by: PublicUser): Promise<void> {
      const invite = async () => {
        const name = (await store.getWorkspace(workspaceId))?.name ?? "a workspace";
        const text = preview(`${by.displayName || by.username} added you to ${name} as ${role}`);
        await deliver(userId, { kind: "invite", workspaceId, conversationId: "", messageId: "", from: by.id, text });
      };
      return track(invite(), { workspaceId });
    },

    /** Resolves when every notification started so far is written. */
    async flush(): Promise<void> {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
  };
}

export type Notifier = ReturnType<typeof createNotifier>;

function preview(text: string): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > PREVIEW_CHARS ? `${flat.slice(0, PREVIEW_CHARS - 1)}…` : flat;
}
