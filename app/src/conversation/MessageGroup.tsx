import { AI_AUTHOR_ID, type Message, type Persona } from "@junokit/doc-model";
import { memo } from "react";
import { Markdown } from "../markdown";
import { Avatar } from "../presence";
import type { MessageGroup as Group } from "./grouping";
import { MovedOnNote } from "./MovedOnNote";
import { formatClock, formatDay, formatFull } from "./time";

interface Props {
  group: Group;
  persona: Persona;
  selfId: string;
  canStop: boolean;
  onStop(messageId: string): void;
  onRetry(messageId: string): void;
  /** Ids of messages the server has not acknowledged yet (shown as waiting to sync). */
  unsynced?: ReadonlySet<string> | undefined;
}

const ELEMENT_TIMING = { elementtiming: "message" } as object;

/** One author's consecutive messages: face, name and time once, then each message. */
export function MessageGroupView({ group, persona, selfId, canStop, onStop, onRetry, unsynced }: Props) {
  const isAi = group.authorId === AI_AUTHOR_ID;
  const name = isAi ? persona.name : group.authorName || "Someone";
  // Which model answered, under the AI's name; a reply by another model says so itself.
  const model = isAi ? group.messages.find((m) => m.model)?.model : undefined;
  return (
    <>
      {group.newDay && (
        <div className="day" role="separator">
          <span>{formatDay(group.startedAt)}</span>
        </div>
      )}
      <article className={`group${isAi ? " group--ai" : ""}${group.authorId === selfId ? " group--self" : ""}`} aria-label={`${name}, ${formatClock(group.startedAt)}`}>
        <Avatar id={group.authorId} name={name} {...(isAi ? { color: persona.color } : {})} ai={isAi} />
        <div className="group__body">
          <header className="group__head">
            {/* Element Timing: lets measurements (bench/browser.ts) see when messages are painted. */}
            <span className="group__name" {...ELEMENT_TIMING}>
              {name}
            </span>
            {isAi && <span className="badge badge--ai">AI</span>}
            <time className="group__time" dateTime={new Date(group.startedAt).toISOString()} title={formatFull(group.startedAt)}>
              {formatClock(group.startedAt)}
            </time>
          </header>
          {model && (
            <div className="group__model" title={`Model: ${model}`}>
              {model}
            </div>
          )}
          {group.messages.map((m) => (
            <MessageView
              key={m.id}
              message={m}
              otherModel={m.model && m.model !== model ? m.model : undefined}
              canStop={canStop}
              onStop={onStop}
              onRetry={onRetry}
              unsynced={unsynced?.has(m.id) ?? false}
            />
          ))}
        </div>
      </article>
    </>
  );
}

interface MessageProps {
  message: Message;
  /** This reply's model when it differs from the one named under the AI's name. */
  otherModel?: string | undefined;
  canStop: boolean;
  onStop(id: string): void;
  onRetry(id: string): void;
  unsynced: boolean;
}

const MessageView = memo(function MessageView({ message, otherModel, canStop, onStop, onRetry, unsynced }: MessageProps) {
  const streaming = message.status === "streaming";
  const isAi = message.authorId === AI_AUTHOR_ID;
  const retry =
    isAi && canStop && !streaming ? (
      <button type="button" className="button button--small" onClick={() => onRetry(message.id)} disabled={message.regenerate}>
        {message.regenerate ? "Asked for another answer…" : message.status === "done" ? "Regenerate" : "Retry"}
      </button>
    ) : null;
  return (
    <div
      className={`message message--${message.status}${unsynced ? " message--unsynced" : ""}`}
      data-message-id={message.id}
      data-status={message.status}
      data-unsynced={unsynced ? "true" : undefined}
    >
      {unsynced && <WaitingMark />}
      {otherModel && <div className="message__model">{otherModel}</div>}
      {message.movedOn && <MovedOnNote movedOn={message.movedOn} answers={message.replyTo} />}
      {message.reasoning && (
        <details className="reasoning">
          <summary>Reasoning</summary>
          <p>{message.reasoning}</p>
        </details>
      )}
      {message.text || !streaming ? (
        <Markdown source={message.text} />
      ) : (
        <div className="md md--pending" aria-label="Writing a reply">
          <p />
        </div>
      )}
      {streaming && (
        <div className="message__actions">
          <span className="message__streaming">Writing…</span>
          {canStop && (
            <button type="button" className="button button--small" onClick={() => onStop(message.id)} disabled={message.stop}>
              {message.stop ? "Stopping…" : "Stop"}
            </button>
          )}
        </div>
      )}
      {message.status === "stopped" && <div className="message__note">Stopped before the end.</div>}
      {message.status === "error" && (
        <div className="message__error" role="alert">
          <strong>The reply failed:</strong> {message.error || "no reason was given."}
        </div>
      )}
      {retry && <div className={`message__actions${message.status === "done" ? " message__actions--hover" : ""}`}>{retry}</div>}
    </div>
  );
});

/** A small clock on a message the server has not acknowledged yet (written offline, or in flight). */
function WaitingMark() {
  return (
    <span className="message__waiting" role="img" aria-label="Waiting to sync" title="Waiting to sync: it is saved on this device and will be sent when the connection is back.">
      <svg viewBox="0 0 16 16" aria-hidden="true">
        <circle cx="8" cy="8" r="6.25" />
        <path d="M8 4.5V8l2.5 1.5" />
      </svg>
    </span>
  );
}
