import {
  AI_MODES,
  DEFAULT_PERSONA_ID,
  appendMessage,
  findMessage,
  requestRegenerate,
  requestStop,
  writeMeta,
  type AiMode,
  type ConversationMeta,
  type Persona,
} from "@junokit/doc-model";
import { nanoid } from "nanoid";
import { useCallback, useEffect, useMemo, useState, type CSSProperties, type ReactNode } from "react";
import type { Member, User } from "../api";
import { mentionablesOf } from "../mentions";
import { usePersona, usePersonaList } from "../personas";
import { useAcknowledged, useDocumentState, type DocumentHandle } from "../connection";
import { aiQueueText, announce, createTypingSignal, Faces, TypingLine, usePresence, type TypingSignal } from "../presence";
import { Composer } from "./Composer";
import { MessageList } from "./MessageList";
import { readScreen, screenSnapshot } from "./screen";
import { useConversation } from "./useConversation";

interface Props {
  handle: DocumentHandle;
  user: User;
  /** False for viewers: the UI is read-only, with a note instead of the composer. */
  canWrite: boolean;
  /** Shown in the header next to the conversation's own controls (connection, menu…). */
  headerStart: ReactNode;
  headerEnd: ReactNode;
  /** Reports the conversation's last activity (as the index computes it) while it is on screen. */
  onSeen?(updatedAt: number): void;
  /** The workspace's members, whom `@` completes in the composer. */
  members?: readonly Member[] | undefined;
}

const AI_MODE_LABEL: Record<AiMode, string> = { auto: "AI answers every message", mention: "AI answers @ai only", off: "AI off" };

/** A conversation: header, messages, who is typing, and the composer. */
export function ConversationView({ handle, user, canWrite, headerStart, headerEnd, onSeen, members }: Props) {
  const snapshot = useConversation(handle.doc);
  const state = useDocumentState(handle);
  const awareness = handle.provider.awareness;
  const presence = usePresence(awareness, user.id);
  const [typing, setTyping] = useState<TypingSignal | null>(null);
  const [suggestion, setSuggestion] = useState<{ text: string; at: number } | null>(null);
  const writable = canWrite && state.scope !== "readonly";

  // Join this conversation's presence while it is on screen.
  useEffect(() => {
    if (!awareness) return;
    const leave = announce(awareness, user);
    const signal = createTypingSignal(awareness);
    setTyping(signal);
    return () => {
      signal.stop();
      leave();
    };
  }, [awareness, user]);

  const ackVersion = useAcknowledged(handle);
  // Until the cached document is loaded (a long one takes a moment), paint the kept first screen.
  const preview = useMemo(() => {
    const screen = state.local ? null : readScreen(state.screen);
    return screen && screen.messages.length > 0 ? screenSnapshot(screen) : null;
  }, [state.local, state.screen]);
  const shown = state.local ? snapshot : preview;
  const meta = shown?.meta ?? snapshot?.meta;
  const count = shown?.count ?? 0;
  const last = count > 0 ? shown?.at(count - 1) : undefined;
  // A custom persona of the workspace, or a built-in; a deleted one shows as Dev (SPEC AI-19).
  const persona = usePersona(meta?.persona ?? DEFAULT_PERSONA_ID);
  // The same quantity as the index's updatedAt, so leaving right after a message arrives
  // doesn't leave an unread dot behind when the index catches up.
  const updatedAt = Math.max(meta?.createdAt ?? 0, last?.createdAt ?? 0);
  useEffect(() => {
    if (updatedAt > 0) onSeen?.(updatedAt);
  }, [onSeen, updatedAt]);
  const isUnsynced = useCallback((index: number) => (snapshot ? !handle.isAcknowledged(snapshot.mapAt(index)) : false), [snapshot, handle]);
  const send = useCallback(
    (text: string) => {
      const createdAt = Date.now();
      // Appended before the cached messages are loaded, it would sort before all of them.
      handle.whenLocal(() =>
        appendMessage(handle.doc, {
          id: nanoid(),
          role: "user",
          authorId: user.id,
          authorName: user.displayName || user.username,
          createdAt,
          text,
        }),
      );
    },
    [handle, user],
  );

  const stop = useCallback(
    (id: string) => {
      const map = findMessage(handle.doc, id);
      if (map) requestStop(map);
    },
    [handle.doc],
  );

  const retry = useCallback(
    (id: string) => {
      const map = findMessage(handle.doc, id);
      if (map) requestRegenerate(map);
    },
    [handle.doc],
  );

  if (state.refused) {
    return (
      <section className="conversation conversation--blocked">
        <header className="conversation__header">{headerStart}<span className="spacer" />{headerEnd}</header>
        <div className="empty">
          <h2>You can't open this conversation</h2>
          <p>
            The server refused it ({state.refused}). It may have been removed, or your access to this workspace changed. Pick another
            conversation, or ask a workspace owner to add you.
          </p>
        </div>
      </section>
    );
  }

  const groupProps = { persona, selfId: user.id, canStop: writable, onStop: stop, onRetry: retry };
  // An empty copy that never heard from the server may just not be loaded yet (and its persona
  // and starters would be the defaults): empty is only said once it is known.
  const known = state.synced || (meta?.createdAt ?? 0) > 0;
  let body: ReactNode;
  if (shown && count > 0) {
    // One list for the kept screen and then the live messages: the same elements stay.
    body = (
      <MessageList
        key="messages"
        snapshot={shown}
        isUnsynced={isUnsynced}
        ackVersion={ackVersion}
        onPreviewShown={state.local ? undefined : handle.screenShown}
        {...groupProps}
      />
    );
  } else if (!state.local || !known) {
    body = <p className="muted center messages-loading">{state.local && !navigatorOnline() ? "This conversation is not on this device yet. It loads when you are back online." : "Loading messages…"}</p>;
  } else {
    body = <EmptyConversation persona={persona} canWrite={writable} onPick={(text) => setSuggestion({ text, at: Date.now() })} />;
  }
  return (
    <section
      className="conversation"
      style={{ "--persona": persona.color } as CSSProperties}
      data-synced={state.synced ? "true" : "false"}
      data-local={state.local ? "true" : "false"}
      data-doc={handle.name}
      aria-label={meta?.title || "Conversation"}
    >
      <header className="conversation__header">
        {headerStart}
        <TitleEditor title={meta?.title ?? ""} editable={writable} onRename={(title) => writeMeta(handle.doc, { title })} />
        <span className="spacer" />
        <Faces peers={presence.here} label="In this conversation" />
        {meta && <MetaControls meta={meta} editable={writable} onChange={(patch) => writeMeta(handle.doc, patch)} />}
        {headerEnd}
      </header>
      {presence.ai && !presence.ai.available && (
        <div className="notice notice--warn" role="status">
          {persona.name}, the AI, is not available: {presence.ai.notice ?? "the server has no AI endpoint configured."}
        </div>
      )}
      {state.notice && <DocumentNotice text={state.notice} />}
      {body}
      <footer className="conversation__footer">
        <TypingLine typing={presence.typing} />
        {aiQueueText(presence.ai, persona.name) && <p className="ai-queue">{aiQueueText(presence.ai, persona.name)}</p>}
        {writable ? (
          <Composer
            placeholder={`Message ${meta?.title ? `“${meta.title}”` : persona.name}`}
            onSend={send}
            typing={typing}
            suggestion={suggestion}
            mentionables={mentionablesOf(members ?? [], user.id, persona.name)}
          />
        ) : (
          <p className="readonly-note" role="note">
            You can read this conversation but not post: you are a viewer in this workspace. Ask an owner to make you an editor.
          </p>
        )}
      </footer>
    </section>
  );
}

function TitleEditor({ title, editable, onRename }: { title: string; editable: boolean; onRename(title: string): void }) {
  const [draft, setDraft] = useState(title);
  const [editing, setEditing] = useState(false);
  useEffect(() => {
    if (!editing) setDraft(title);
  }, [title, editing]);
  if (!editable) return <h1 className="conversation__title">{title || "Untitled conversation"}</h1>;
  const commit = () => {
    setEditing(false);
    const next = draft.trim();
    if (next && next !== title) onRename(next.slice(0, 200));
    else setDraft(title);
  };
  return (
    <input
      className="conversation__title conversation__title--edit"
      aria-label="Conversation title (press Enter to rename)"
      value={draft}
      placeholder="Untitled conversation"
      maxLength={200}
      onFocus={() => setEditing(true)}
      onChange={(e) => setDraft(e.target.value)}
      onBlur={commit}
      onKeyDown={(e) => {
        if (e.key === "Enter") e.currentTarget.blur();
        if (e.key === "Escape") {
          setDraft(title);
          setEditing(false);
          requestAnimationFrame(() => (e.target as HTMLInputElement).blur());
        }
      }}
    />
  );
}

function MetaControls({ meta, editable, onChange }: { meta: ConversationMeta; editable: boolean; onChange(patch: Partial<ConversationMeta>): void }) {
  const persona = usePersona(meta.persona);
  const personas = usePersonaList();
  if (!editable) {
    return (
      <span className="persona-chip" style={{ "--chip": persona.color } as CSSProperties}>
        {persona.name}
      </span>
    );
  }
  return (
    <span className="meta-controls">
      <select
        className="persona-select"
        aria-label="Persona"
        style={{ "--chip": persona.color } as CSSProperties}
        value={persona.id}
        onChange={(e) => onChange({ persona: e.target.value })}
      >
        {personas.map((p) => (
          <option key={p.id} value={p.id}>
            {p.name}
          </option>
        ))}
      </select>
      <select className="ai-select" aria-label="When the AI answers" value={meta.ai} onChange={(e) => onChange({ ai: e.target.value as AiMode })}>
        {AI_MODES.map((m) => (
          <option key={m} value={m}>
            {AI_MODE_LABEL[m]}
          </option>
        ))}
      </select>
    </span>
  );
}

function EmptyConversation({ persona, canWrite, onPick }: { persona: Persona; canWrite: boolean; onPick(text: string): void }) {
  return (
    <div className="empty">
      <h2>Start the conversation</h2>
      <p>
        Everyone in this workspace sees messages appear as they are written. {persona.name}, the AI, joins in as a peer.
      </p>
      {canWrite && (
        <div className="starters">
          {persona.starters.map((s) => (
            <button key={s} type="button" className="starter" onClick={() => onPick(s)}>
              {s}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}

/** A one-off note about this document (its copy was replaced); the reader can put it away. */
function DocumentNotice({ text }: { text: string }) {
  const [dismissed, setDismissed] = useState<string | null>(null);
  if (dismissed === text) return null;
  return (
    <div className="notice notice--info notice--document notice--actions" role="status" data-testid="document-notice">
      {text}
      <button type="button" className="button button--small notice__action" onClick={() => setDismissed(text)}>
        OK
      </button>
    </div>
  );
}

function navigatorOnline(): boolean {
  return typeof navigator === "undefined" || navigator.onLine;
}
