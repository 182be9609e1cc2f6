import type { Extension } from "@hocuspocus/server";
import { enforceAuthor, observeAuthorship, parseDocName, restoreAuthor } from "@junokit/doc-model";
import type { Logger } from "../log";
import { personOf, SERVER_ORIGIN, type CollabContext } from "./context";

/**
 * Nobody posts as someone else (SPEC AUTH-5): a person's new message gets their identity and
 * the user role; a person's edit of an existing message's author fields is reverted.
 */
export function createAuthorship(logger: Logger): Extension<CollabContext> {
  const stops = new Map<string, () => void>();
  return {
    extensionName: "junokit-authorship",
    async afterLoadDocument({ document, documentName }) {
      if (parseDocName(documentName)?.kind !== "conversation") return;
      const stop = observeAuthorship(document, {
        onNew(map, origin) {
          const person = personOf(origin);
          if (!person) return;
          document.transact(() => {
            if (enforceAuthor(map, { id: person.id, name: person.displayName, role: "user" })) {
              logger.warn({ doc: documentName, userId: person.id }, "corrected the author of a message");
            }
          }, SERVER_ORIGIN);
        },
        onAuthorEdit(map, previous, origin) {
          const person = personOf(origin);
          if (!person) return;
          document.transact(() => restoreAuthor(map, previous), SERVER_ORIGIN);
          logger.warn({ doc: documentName, userId: person.id }, "reverted an edit of a message's author");
        },
      });
      stops.set(documentName, stop);
    },
    async afterUnloadDocument({ documentName }) {
      stops.get(documentName)?.();
      stops.delete(documentName);
    },
  };
}
