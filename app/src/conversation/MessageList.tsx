import type { Message, Persona } from "@junokit/doc-model";
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from "react";
import { groupMessages, keepGroupKeys } from "./grouping";
import { MessageGroupView } from "./MessageGroup";
import { claimWanted, SHOW_MESSAGE_EVENT } from "./show-message";
import type { ConversationSnapshot } from "./useConversation";
import { around, earlier, later, latestWindow, windowRange, type MessageWindow } from "./window";

/** Within this many pixels of an edge, the next page is rendered. */
const LOAD_MARGIN = 400;

export interface GroupProps {
  persona: Persona;
  selfId: string;
  canStop: boolean;
  onStop(id: string): void;
  onRetry(id: string): void;
}

/** Message groups for a list of messages; a group keeps its element as the window grows. */
function MessageGroups({ messages, unsynced, ...props }: GroupProps & { messages: readonly Message[]; unsynced?: ReadonlySet<string> }) {
  const keys = useRef<ReadonlyMap<string, string>>(new Map());
  const groups = useMemo(() => {
    const grouped = groupMessages(messages);
    keys.current = keepGroupKeys(grouped, keys.current);
    return grouped;
  }, [messages]);
  return (
    <>
      {groups.map((g) => (
        <MessageGroupView key={g.key} group={g} unsynced={unsynced} {...props} />
      ))}
    </>
  );
}

interface Props extends GroupProps {
  snapshot: ConversationSnapshot;
  /** The snapshot is a kept first screen (the document is still loading): called once it is laid out. */
  onPreviewShown?: (() => void) | undefined;
  /** True when the message at this index is not acknowledged by the server yet. */
  isUnsynced(index: number): boolean;
  /** Changes whenever acknowledgements may have changed. */
  ackVersion: number;
}

/**
 * The conversation's messages, rendering only a window of them (window.ts) and keeping the
 * newest in view unless the reader has scrolled up. When pages are added or dropped, the
 * message at the top of the view stays exactly where it was.
 */
export function MessageList({ snapshot, isUnsynced, ackVersion, onPreviewShown, ...groupProps }: Props) {
  const { count } = snapshot;
  const first = snapshot.first ?? 0;
  const [win, setWin] = useState<MessageWindow>(() => latestWindow(count));
  const range = windowRange(win, count);
  const start = Math.max(range.start, first);
  const end = Math.max(range.end, start);
  const messages = useMemo(() => {
    const out: Message[] = [];
    for (let i = start; i < end; i++) out.push(snapshot.at(i));
    return out;
  }, [snapshot, start, end]);
  const unsynced = useMemo(() => {
    const ids = new Set<string>();
    if (!onPreviewShown) for (let i = start; i < end; i++) if (isUnsynced(i)) ids.add(snapshot.at(i).id);
    return ids;
    // ackVersion: acknowledgements live outside React; re-check when they change.
  }, [snapshot, start, end, isUnsynced, ackVersion, onPreviewShown]);

  useLayoutEffect(() => onPreviewShown?.(), [onPreviewShown]);

  const ref = useRef<HTMLDivElement>(null);
  const pinned = useRef(true);
  const anchor = useRef<Anchor | null>(null);
  const seenCount = useRef(count);
  const [showJump, setShowJump] = useState(false);
  const following = win.end === null;

  const move = (next: MessageWindow) => {
    if (next === win) return;
    anchor.current = captureAnchor(ref.current);
    // Computed from the window of this render: dropped if the window moved meanwhile (a scroll
    // event arriving right after showMessage must not page back from the old one).
    const from = win;
    setWin((current) => (current === from ? next : current));
  };

  useEffect(() => {
    const show = () => {
      const index = claimWanted(snapshot);
      if (index < first) return;
      pinned.current = false;
      anchor.current = null;
      setWin(around(index, snapshot.count));
    };
    // Asked before this list (or this snapshot of it) existed: the list loading a hit's conversation.
    show();
    window.addEventListener(SHOW_MESSAGE_EVENT, show);
    return () => window.removeEventListener(SHOW_MESSAGE_EVENT, show);
  }, [snapshot, first]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    if (anchor.current) {
      restoreAnchor(el, anchor.current);
      anchor.current = null;
    } else if (pinned.current && following) {
      el.scrollTop = el.scrollHeight;
    } else if (count > seenCount.current) {
      setShowJump(true);
    }
    seenCount.current = count;
    // Too few lines to scroll: nothing would ever ask for the earlier page.
    if (el.scrollHeight <= el.clientHeight && start > first) move(earlier(win, count));
  });

  const jump = () => {
    pinned.current = true;
    anchor.current = null;
    setShowJump(false);
    setWin(latestWindow(count));
    const el = ref.current;
    if (el && following) el.scrollTo({ top: el.scrollHeight, behavior: "smooth" });
  };

  return (
    <div className="messages-wrap">
      <div
        ref={ref}
        className="messages"
        role="log"
        aria-live="polite"
        aria-relevant="additions"
        tabIndex={0}
        data-window={`${start}-${end}/${count}`}
        aria-busy={onPreviewShown ? true : undefined}
        onScroll={(e) => {
          const el = e.currentTarget;
          const fromBottom = el.scrollHeight - el.scrollTop - el.clientHeight;
          pinned.current = fromBottom < 80 && following;
          if (pinned.current) setShowJump(false);
          if (el.scrollTop < LOAD_MARGIN && start > first) move(earlier(win, count));
          else if (fromBottom < LOAD_MARGIN && !following) move(later(win, count));
        }}
      >
        {start > 0 && <p className="messages__more muted small">{start > first ? "Earlier messages load as you scroll up." : "Loading earlier messages…"}</p>}
        <MessageGroups messages={messages} unsynced={unsynced} {...groupProps} />
      </div>
      {(showJump || !following) && (
        <button type="button" className="jump" onClick={jump}>
          {following ? "New messages ↓" : "Jump to the latest ↓"}
        </button>
      )}
    </div>
  );
}

interface Anchor {
  id: string;
  offset: number;
}

/** The first message visible at the top of the list, and where it sits. */
function captureAnchor(list: HTMLElement | null): Anchor | null {
  if (!list) return null;
  const top = list.getBoundingClientRect().top;
  for (const el of list.querySelectorAll<HTMLElement>("[data-message-id]")) {
    const rect = el.getBoundingClientRect();
    if (rect.bottom > top) return { id: el.dataset.messageId ?? "", offset: rect.top - top };
  }
  return null;
}

function restoreAnchor(list: HTMLElement, anchor: Anchor): void {
  const el = list.querySelector<HTMLElement>(`[data-message-id="${CSS.escape(anchor.id)}"]`);
  if (!el) return;
  list.scrollTop += el.getBoundingClientRect().top - list.getBoundingClientRect().top - anchor.offset;
}
