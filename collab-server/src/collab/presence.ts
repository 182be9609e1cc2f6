import type { Extension } from "@hocuspocus/server";
import { AWARENESS_TYPING, AWARENESS_USER, colorFor } from "@junokit/doc-model";
import type { CollabContext } from "./context";

const COLOR = /^(#[0-9a-fA-F]{3,8}|hsl\(\d{1,3} \d{1,3}% \d{1,3}%\))$/;

/**
 * Awareness carries the authenticated identity (SPEC AUTH-4): each person's `user` is
 * overwritten with who they are, and nobody may write the state of a client id that
 * another connection owns.
 */
export function createPresenceGuard(): Extension<CollabContext> {
  return {
    extensionName: "junokit-presence",
    async beforeHandleAwareness({ states, context, document, connection }) {
      const person = context?.user;
      if (!person || !connection) return;
      for (const [clientId, state] of states) {
        const owner = [...document.connections.entries()].find(([, entry]) => entry.clients.has(clientId))?.[0];
        // The server's own client id (the AI peer's presence) is never a person's to write.
        if ((owner && owner !== connection) || clientId === document.awareness.clientID) {
          states.delete(clientId);
          continue;
        }
        if (!state || Object.keys(state).length === 0) continue;
        const claimed = state[AWARENESS_USER] as { color?: unknown } | undefined;
        state[AWARENESS_USER] = {
          id: person.id,
          name: person.displayName,
          color: typeof claimed?.color === "string" && COLOR.test(claimed.color) ? claimed.color : colorFor(person.id),
          kind: "human",
        };
        if (connection.readOnly) state[AWARENESS_TYPING] = false;
      }
    },
  };
}
