import type { Document } from "@hocuspocus/server";
import { AWARENESS_CURSOR, AWARENESS_NOTE_RUN, AWARENESS_TYPING, AWARENESS_USER, type NoteRunPresence, type PeerUser } from "@junokit/doc-model";
import { Awareness, applyAwarenessUpdate, encodeAwarenessUpdate } from "y-protocols/awareness";
import * as Y from "yjs";

const CARET_ORIGIN = { source: "local", notesAi: true };

export interface AiCaret {
  /** Shows the AI's selection (`anchor`, where the text it replaces starts) and its caret (`head`). */
  move(anchor: Y.RelativePosition, head: Y.RelativePosition): void;
  close(): void;
}

/**
 * A caret of its own for one AI run (SPEC NOTE-5): an awareness client id besides the chat AI
 * peer's, whose changes are forwarded into the document's awareness (Hocuspocus broadcasts
 * them); y-protocols renews it every 15 s while the run lasts.
 */
export function showAiCaret(document: Document, user: PeerUser, run: NoteRunPresence): AiCaret {
  const identity = new Y.Doc();
  const own = new Awareness(identity);
  const forward = ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }) => {
    const changed = [...added, ...updated, ...removed];
    applyAwarenessUpdate(document.awareness, encodeAwarenessUpdate(own, changed), CARET_ORIGIN);
  };
  own.on("update", forward);
  let closed = false;
  return {
    move(anchor, head) {
      if (closed) return;
      own.setLocalState({
        [AWARENESS_USER]: user,
        // The chat shows "… is typing" from this flag; the notes AI writes notes, not a reply.
        [AWARENESS_TYPING]: false,
        [AWARENESS_CURSOR]: { anchor: Y.relativePositionToJSON(anchor), head: Y.relativePositionToJSON(head) },
        [AWARENESS_NOTE_RUN]: run,
      });
    },
    close() {
      if (closed) return;
      closed = true;
      own.setLocalState(null);
      own.off("update", forward);
      own.destroy();
      identity.destroy();
    },
  };
}
