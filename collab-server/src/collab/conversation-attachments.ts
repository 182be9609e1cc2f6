import type { Document, Extension, Hocuspocus } from "@hocuspocus/server";
import { parseDocName } from "@junokit/doc-model";
import type { Logger } from "../log";
import type { CollabContext } from "./context";

/** Something that lives alongside one loaded conversation (the AI peer, the notes AI). */
export interface ConversationAttachment {
  readonly doc: Document;
  detach(): void;
}

export interface ConversationAt {
  document: Document;
  documentName: string;
  workspaceId: string;
  instance: Hocuspocus;
}

/**
 * Attaches one object to every conversation while it is loaded, and detaches it when the
 * document is gone. A conversation the attachment cannot read still opens for people.
 */
export function attachToConversations<T extends ConversationAttachment>(
  name: string,
  logger: Logger,
  attach: (at: ConversationAt) => T,
): { extension: Extension<CollabContext>; attached: Map<string, T> } {
  const attached = new Map<string, T>();
  const extension: Extension<CollabContext> = {
    extensionName: name,
    async afterLoadDocument({ document, documentName, instance }) {
      const address = parseDocName(documentName);
      if (address?.kind !== "conversation") return;
      attached.get(documentName)?.detach();
      try {
        attached.set(documentName, attach({ document, documentName, workspaceId: address.workspaceId, instance }));
      } catch (err) {
        logger.error({ err, doc: documentName }, `${name} could not join a conversation`);
      }
    },
    async afterUnloadDocument({ documentName }) {
      const current = attached.get(documentName);
      // Reloaded meanwhile: the live attachment belongs to the new document.
      if (!current?.doc.isDestroyed) return;
      current.detach();
      attached.delete(documentName);
    },
  };
  return { extension, attached };
}
