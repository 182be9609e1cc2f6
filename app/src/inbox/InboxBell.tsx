import type { InboxItem } from "@junokit/doc-model";
import { useEffect, useRef, useState } from "react";
import type { Connection } from "../connection";
import { revealMessage } from "../conversation";
import { navigate } from "../route";
import { describeItem, freshUnread } from "./describe";
import { useInbox } from "./useInbox";
import "./inbox.css";

interface Props {
  connection: Connection;
  userId: string;
  /** The conversation on screen: an AI reply there is already seen. */
  viewingConversationId: string | null;
  onOpened?(): void;
}

/** The bell with the unread count, its list of notifications, and desktop notifications while the tab is hidden. */
export function InboxBell({ connection, userId, viewingConversationId, onOpened }: Props) {
  const inbox = useInbox(connection, userId);
  const [open, setOpen] = useState(false);
  const panel = useRef<HTMLDivElement>(null);
  useDesktopNotifications(inbox.items, inbox.loaded);

  // Someone looking at a conversation sees its AI reply arrive: no need to flag it.
  const { items, markRead } = inbox;
  useEffect(() => {
    if (!viewingConversationId || document.visibilityState !== "visible") return;
    const seen = items.filter((i) => !i.read && i.kind === "ai-reply" && i.conversationId === viewingConversationId).map((i) => i.id);
    if (seen.length) markRead(seen);
  }, [items, viewingConversationId, markRead]);

  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setOpen(false);
    const onClick = (e: MouseEvent) => {
      if (!panel.current?.parentElement?.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener("keydown", onKey);
    window.addEventListener("mousedown", onClick);
    return () => {
      window.removeEventListener("keydown", onKey);
      window.removeEventListener("mousedown", onClick);
    };
  }, [open]);

  const openItem = (item: InboxItem) => {
    markRead([item.id]);
    setOpen(false);
    navigate({ workspaceId: item.workspaceId, conversationId: item.conversationId || null });
    if (item.messageId) revealMessage(item.messageId);
    onOpened?.();
  };

  return (
    <div className="inbox">
      <button
        type="button"
        className="inbox__bell"
        aria-label={inbox.unread ? `Notifications, ${inbox.unread} unread` : "Notifications"}
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
      >
        <svg className="icon" viewBox="0 0 24 24" aria-hidden="true">
          <path d="M6 16V11a6 6 0 0 1 12 0v5l1.5 2h-15z" />
          <path d="M10 20.5a2 2 0 0 0 4 0" />
        </svg>
        {inbox.unread > 0 && <span className="inbox__count" data-unread={inbox.unread}>{inbox.unread > 99 ? "99+" : inbox.unread}</span>}
      </button>
      {open && (
        <div ref={panel} className="inbox__panel" role="dialog" aria-label="Notifications">
          <div className="inbox__head">
            <strong>Notifications</strong>
            <span className="spacer" />
            {inbox.unread > 0 && (
              <button type="button" className="button button--small" onClick={() => inbox.markRead("all")}>
                Mark all read
              </button>
            )}
          </div>
          {typeof Notification !== "undefined" && Notification.permission === "default" && (
            <button type="button" className="inbox__permission" onClick={() => void Notification.requestPermission()}>
              Notify me on this computer while JunoKit is in the background
            </button>
          )}
          {inbox.items.length === 0 ? (
            <p className="muted inbox__empty">Nothing yet. Mentions, AI replies and invitations show up here.</p>
          ) : (
            <ul className="inbox__items">
              {inbox.items.map((item) => {
                const { title, body } = describeItem(item);
                return (
                  <li key={item.id} className={`inbox__item${item.read ? "" : " inbox__item--unread"}`} data-kind={item.kind}>
                    <button type="button" className="inbox__open" onClick={() => openItem(item)}>
                      <span className="inbox__title">{title}</span>
                      <span className="inbox__text">{body}</span>
                      <span className="muted small">{new Date(item.createdAt).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" })}</span>
                    </button>
                    {!item.read && (
                      <button type="button" className="icon-button inbox__read" aria-label="Mark read" title="Mark read" onClick={() => inbox.markRead([item.id])}>
                        ✓
                      </button>
                    )}
                  </li>
                );
              })}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}

/** Announces new unread items with the browser's notifications, when allowed and the tab is hidden. */
function useDesktopNotifications(items: InboxItem[], loaded: boolean): void {
  const known = useRef<Set<string> | null>(null);
  useEffect(() => {
    // What is already there when the app opens is not news.
    if (!loaded) return;
    if (known.current === null) {
      known.current = new Set(items.map((i) => i.id));
      return;
    }
    const fresh = freshUnread(items, known.current);
    for (const item of fresh) known.current.add(item.id);
    if (typeof Notification === "undefined" || Notification.permission !== "granted" || document.visibilityState === "visible") return;
    for (const item of fresh.slice(-3)) {
      const { title, body } = describeItem(item);
      const notification = new Notification(title, { body, tag: item.id });
      notification.onclick = () => {
        window.focus();
        navigate({ workspaceId: item.workspaceId, conversationId: item.conversationId || null });
      };
    }
  }, [items, loaded]);
}
