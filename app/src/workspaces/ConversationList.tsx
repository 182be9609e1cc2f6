import { resolvePersona, type IndexEntry } from "@junokit/doc-model";
import type { CSSProperties } from "react";
import { formatRelative, plainPreview } from "../conversation";
import { useCustomPersonas } from "../personas";
import { Faces, type PresentPeer } from "../presence";
import { routeHref } from "../route";
import { isUnread, type SeenMap } from "./unread";

/** The workspace's conversations, most recent first, live from the index document. */
export function ConversationList({
  workspaceId,
  entries,
  activeId,
  seen,
  viewers,
  loaded,
  now,
  onOpen,
}: {
  workspaceId: string;
  entries: readonly IndexEntry[];
  activeId: string | null;
  seen: SeenMap;
  viewers: ReadonlyMap<string, PresentPeer[]>;
  loaded: boolean;
  now: number;
  onOpen(): void;
}) {
  const custom = useCustomPersonas();
  if (entries.length === 0) {
    return <p className="sidebar__empty">{loaded ? "No conversations yet. Start one with “New conversation”." : "Loading conversations…"}</p>;
  }
  return (
    <nav aria-label="Conversations">
      <ul className="convs">
        {entries.map((e) => {
          const persona = resolvePersona(e.persona, custom);
          const unread = isUnread(e.updatedAt, e.messageCount, seen[e.id], e.id === activeId);
          return (
            <li key={e.id}>
              <a
                className={`conv${e.id === activeId ? " conv--active" : ""}${unread ? " conv--unread" : ""}`}
                href={routeHref({ workspaceId, conversationId: e.id })}
                aria-current={e.id === activeId ? "page" : undefined}
                onClick={onOpen}
                data-conversation={e.id}
              >
                <span className="conv__top">
                  <span className="conv__title">{e.title || "Untitled conversation"}</span>
                  <time className="conv__time" dateTime={e.updatedAt ? new Date(e.updatedAt).toISOString() : undefined}>
                    {formatRelative(e.updatedAt, now)}
                  </time>
                </span>
                <span className="conv__bottom">
                  <span className="persona-chip persona-chip--small" style={{ "--chip": persona.color } as CSSProperties}>
                    {persona.name}
                  </span>
                  <span className="conv__preview">{e.preview ? `${e.lastAuthorName ? `${e.lastAuthorName}: ` : ""}${plainPreview(e.preview)}` : "No messages yet"}</span>
                  <Faces peers={viewers.get(e.id) ?? []} max={3} label="Here now" />
                  {unread && <span className="conv__dot" aria-label="unread" role="img" />}
                </span>
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
