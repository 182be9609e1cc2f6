import type { Extension } from "@hocuspocus/server";
import { observeInbox, parseDocName, readInbox, restoreInbox } from "@junokit/doc-model";
import { personOf, SERVER_ORIGIN, type CollabContext } from "../collab";
import type { Logger } from "../log";

/**
 * The owner of an inbox may only flip `read` (SPEC INBOX-4): after any change the owner
 * makes, the items are put back as the server wrote them, read flags kept.
 */
export function createInboxGuard(logger: Logger): Extension<CollabContext> {
  const stops = new Map<string, () => void>();
  return {
    extensionName: "junokit-inbox-guard",
    async afterLoadDocument({ documentName, document }) {
      if (parseDocName(documentName)?.kind !== "inbox") return;
      // What the server wrote: the document as loaded, then every change not made by a person.
      let written = readInbox(document);
      const stop = observeInbox(document, (origin) => {
        const person = personOf(origin);
        if (person && restoreInbox(document, written, SERVER_ORIGIN)) {
          logger.warn({ doc: documentName, userId: person.id }, "reverted an inbox change other than marking read");
        }
        written = readInbox(document);
      });
      stops.set(documentName, stop);
    },
    async afterUnloadDocument({ documentName }) {
      stops.get(documentName)?.();
      stops.delete(documentName);
    },
  };
}
