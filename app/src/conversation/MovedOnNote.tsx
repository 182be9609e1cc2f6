import type { MovedOn } from "@junokit/doc-model";
import { revealMessage } from "./reveal";
import { formatClock, formatDay } from "./time";

/**
 * "Answers Ann's message from 10:32 · 3 messages came in meanwhile" (SPEC APP-AI-2): the
 * reply sits below messages its question's author had not seen (AI-17), so it says which
 * message it answers, in the reader's clock, with the day when that is not today.
 */
export function movedOnText(movedOn: MovedOn, now = Date.now()): string {
  const whose = movedOn.askedBy ? `${movedOn.askedBy}'s message` : "a message";
  const day = movedOn.askedAt ? formatDay(movedOn.askedAt, now) : "";
  const clock = movedOn.askedAt ? formatClock(movedOn.askedAt) : "";
  const when = !clock ? "" : day === "Today" ? ` from ${clock}` : ` from ${day === "Yesterday" ? "yesterday" : day} at ${clock}`;
  const count = movedOn.count === 1 ? "1 message came in meanwhile" : `${movedOn.count} messages came in meanwhile`;
  return `Answers ${whose}${when} · ${count}`;
}

/** The note above such a reply, with a way to bring the answered message into view. */
export function MovedOnNote({ movedOn, answers }: { movedOn: MovedOn; answers?: string | undefined }) {
  return (
    <p className="message__moved-on" role="note" data-moved-on={movedOn.count}>
      <span>{movedOnText(movedOn)}</span>
      {answers && (
        <button
          type="button"
          className="message__moved-on-show"
          // Brings it into the rendered window first (SPEC SRCH-8), then marks it.
          onClick={() => revealMessage(answers)}
        >
          Show it
        </button>
      )}
    </p>
  );
}
