import { conversationDocName, workspaceIndexDocName } from "@junokit/doc-model";
import { useCallback, useEffect, useMemo, useState, type ReactNode } from "react";
import { canEdit, type ApiClient, type Session, type WorkspaceSummary } from "../api";
import { ConnectionBadge, ConnectionNotice, useDocument, useDocumentState, useStore, type Connection } from "../connection";
import { ConversationView } from "../conversation";
import { announce, Avatar, Faces, setViewing, usePresence, viewersByConversation } from "../presence";
import {
  ConversationList,
  MembersPanel,
  NewConversationDialog,
  NewWorkspaceDialog,
  WorkspaceSwitcher,
  markSeen,
  seenStore,
  useConversationIndex,
  useMe,
  useWorkspaceDetails,
} from "../workspaces";
import { InboxBell } from "../inbox";
import { NotesPanel, NotesToggle } from "../notes";
import { PersonasProvider, useWorkspacePersonas } from "../personas";
import { SearchPalette } from "../search";
import { ExportMenu, WorkspaceTransfer } from "../transfer";
import { navigate, useRoute } from "../route";

const LAST_WORKSPACE = "junokit.lastWorkspace";

interface Props {
  api: ApiClient;
  session: Session;
  connection: Connection;
  onSignOut(): void;
}

/** The signed-in screen: sidebar, the open conversation, and the members panel. */
export function Workspace({ api, session, connection, onSignOut }: Props) {
  const user = session.user;
  const route = useRoute();
  const { me, error: meError, stale, reload: reloadMe } = useMe(api, session);
  const workspaces = me?.workspaces ?? [];
  const workspaceId = pickWorkspace(route.workspaceId, workspaces);
  const unknownWorkspace = Boolean(me && route.workspaceId && route.workspaceId !== workspaceId);
  const conversationId = workspaceId === route.workspaceId ? route.conversationId : null;

  const [drawerOpen, setDrawerOpen] = useState(false);
  const [membersOpen, setMembersOpen] = useState(false);
  const [notesOpen, setNotesOpen] = useState(false);
  const [dialog, setDialog] = useState<"conversation" | "workspace" | null>(null);
  const now = useClock(30_000);

  // A link to a workspace I am not listed in yet (I was just added): ask the server again once.
  useEffect(() => {
    if (unknownWorkspace) reloadMe();
  }, [unknownWorkspace, reloadMe]);

  useEffect(() => {
    if (!workspaceId) return;
    try {
      localStorage.setItem(LAST_WORKSPACE, workspaceId);
    } catch {
      // Only a convenience.
    }
    if (!route.workspaceId) navigate({ workspaceId, conversationId: null }, true);
  }, [workspaceId, route.workspaceId]);

  // New memberships show up when the person comes back to the tab.
  useEffect(() => {
    window.addEventListener("focus", reloadMe);
    return () => window.removeEventListener("focus", reloadMe);
  }, [reloadMe]);

  const details = useWorkspaceDetails(api, workspaceId);
  const role = details.details?.role ?? workspaces.find((w) => w.id === workspaceId)?.role;

  const index = useDocument(connection, workspaceId ? workspaceIndexDocName(workspaceId) : null);
  const indexState = useDocumentState(index);
  const entries = useConversationIndex(index);
  const customPersonas = useWorkspacePersonas(index);
  const indexAwareness = index?.provider.awareness ?? null;
  const online = usePresence(indexAwareness, user.id);
  const viewers = useMemo(() => viewersByConversation(online.here), [online.here]);
  const seen = useStore(seenStore(user.id));

  useEffect(() => {
    if (!indexAwareness) return;
    return announce(indexAwareness, user);
  }, [indexAwareness, user]);
  useEffect(() => {
    if (!indexAwareness) return;
    // Telling the others where I am can wait until the conversation has painted: it
    // re-renders the sidebar and sends an awareness update, on the critical path otherwise.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => (timer = setTimeout(() => setViewing(indexAwareness, conversationId), 0)));
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [indexAwareness, conversationId]);

  const openEntry = conversationId ? entries.find((e) => e.id === conversationId) : undefined;
  const openUpdatedAt = openEntry?.updatedAt;
  useEffect(() => {
    if (conversationId && openUpdatedAt !== undefined) markSeen(user.id, conversationId, openUpdatedAt);
  }, [conversationId, openUpdatedAt, user.id]);

  const onSeen = useCallback(
    (updatedAt: number) => {
      if (conversationId) markSeen(user.id, conversationId, updatedAt);
    },
    [conversationId, user.id],
  );

  const conversation = useDocument(connection, workspaceId && conversationId ? conversationDocName(workspaceId, conversationId) : null);

  const closeDrawer = useCallback(() => setDrawerOpen(false), []);
  useEffect(() => {
    if (!drawerOpen) return;
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && setDrawerOpen(false);
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [drawerOpen]);

  const headerStart = (
    <button type="button" className="icon-button drawer-toggle" aria-label="Open sidebar" aria-expanded={drawerOpen} onClick={() => setDrawerOpen(true)}>
      ☰
    </button>
  );
  const headerEnd = (
    <>
      {conversation && workspaceId && conversationId && <ExportMenu workspaceId={workspaceId} conversationId={conversationId} title={openEntry?.title ?? ""} />}
      <ConnectionBadge connection={connection} />
      {conversation && <NotesToggle open={notesOpen} onToggle={() => setNotesOpen((o) => !o)} />}
      <button
        type="button"
        className={`button button--small members-toggle${membersOpen ? " button--pressed" : ""}`}
        aria-pressed={membersOpen}
        onClick={() => setMembersOpen((o) => !o)}
        title="Members"
        aria-label="Members"
      >
        <svg className="icon" viewBox="0 0 24 24" aria-hidden="true">
          <circle cx="9" cy="8" r="3.5" />
          <path d="M2.5 19c.8-3.4 3.4-5.2 6.5-5.2s5.7 1.8 6.5 5.2" />
          <circle cx="17" cy="9" r="2.6" />
          <path d="M16.5 13.9c2.4.2 4.2 1.6 5 4.6" />
        </svg>
        <span className="members-toggle__label">Members</span>
        {details.details && <span className="count">{details.details.members.length}</span>}
      </button>
    </>
  );

  const writable = canEdit(role);
  let main: ReactNode;
  if (!me) {
    main = <Placeholder header={[headerStart, headerEnd]} title={meError ? "Can't load your workspaces" : "Loading your workspaces…"} text={meError} action={meError ? { label: "Try again", run: reloadMe } : null} />;
  } else if (conversation) {
    main = <ConversationView key={conversation.name} handle={conversation} user={user} canWrite={writable} headerStart={headerStart} headerEnd={headerEnd} onSeen={onSeen} members={details.details?.members} />;
  } else {
    main = (
      <Placeholder
        header={[headerStart, headerEnd]}
        title={entries.length ? "Pick a conversation" : "Welcome to JunoKit"}
        text={
          entries.length
            ? "Choose a conversation on the left, or start a new one."
            : "Conversations here are shared live with everyone in the workspace, and an AI persona joins in as a peer. Start the first one."
        }
        action={writable ? { label: "New conversation", run: () => setDialog("conversation") } : null}
      />
    );
  }

  const screen = (
    <div className={`app${drawerOpen ? " app--drawer" : ""}${membersOpen ? " app--panel" : ""}${notesOpen && conversation ? " app--notes" : ""}`}>
      <aside className="sidebar" aria-label="Sidebar">
        <div className="sidebar__top">
          <span className="logo" aria-hidden="true">J</span>
          {me && (
            <WorkspaceSwitcher
              workspaces={workspaces}
              currentId={workspaceId}
              onSwitch={(id) => {
                navigate({ workspaceId: id, conversationId: null });
                closeDrawer();
              }}
              onCreate={() => setDialog("workspace")}
            />
          )}
          <button type="button" className="icon-button drawer-close" aria-label="Close sidebar" onClick={closeDrawer}>
            ✕
          </button>
        </div>
        <div className="sidebar__tools">
          {workspaceId && (
            <SearchPalette workspaceId={workspaceId} workspaceName={workspaces.find((w) => w.id === workspaceId)?.name} userId={user.id} conversations={entries} onOpened={closeDrawer} />
          )}
          <InboxBell connection={connection} userId={user.id} viewingConversationId={conversationId} onOpened={closeDrawer} />
        </div>
        {writable && (
          <button type="button" className="button button--primary new-conv" onClick={() => setDialog("conversation")}>
            + New conversation
          </button>
        )}
        {role === "viewer" && <p className="sidebar__note">You are a viewer here: you can read every conversation.</p>}
        {workspaceId && (
          <ConversationList
            workspaceId={workspaceId}
            entries={entries}
            activeId={conversationId}
            seen={seen}
            viewers={viewers}
            loaded={indexState.synced || indexState.local}
            now={now}
            onOpen={closeDrawer}
          />
        )}
        {workspaceId && (
          <WorkspaceTransfer
            workspaceId={workspaceId}
            workspaceName={workspaces.find((w) => w.id === workspaceId)?.name}
            canImport={writable}
            onOpen={(id) => {
              closeDrawer();
              navigate({ workspaceId, conversationId: id });
            }}
          />
        )}
        <div className="sidebar__online">
          <span className="muted small">Online</span>
          <Faces peers={online.here} max={8} label="Online in this workspace" />
        </div>
        <div className="sidebar__me">
          <Avatar id={user.id} name={user.displayName || user.username} size="sm" />
          <span className="sidebar__me-names">
            <span>{user.displayName || user.username}</span>
            <span className="muted small">@{user.username}</span>
          </span>
          <button type="button" className="button button--small" onClick={onSignOut}>
            Sign out
          </button>
        </div>
      </aside>
      <div className="scrim" onClick={closeDrawer} aria-hidden="true" />
      <main className="main">
        <ConnectionNotice connection={connection} />
        {stale && <div className="notice notice--offline">Showing your workspaces as last seen: the server can't be reached right now.</div>}
        {unknownWorkspace && me && !stale && (
          <div className="notice notice--warn">You don't have access to the workspace in that link. Ask one of its owners to add you; showing your own instead.</div>
        )}
        {main}
      </main>
      {notesOpen && conversation && <NotesPanel key={conversation.name} handle={conversation} user={user} canWrite={writable} onClose={() => setNotesOpen(false)} />}
      {membersOpen && (
        <MembersPanel
          api={api}
          workspaceId={workspaceId}
          role={role}
          details={details.details}
          error={details.error}
          online={online.here}
          onChanged={details.reload}
          onClose={() => setMembersOpen(false)}
        />
      )}
      {dialog === "conversation" && workspaceId && (
        <NewConversationDialog
          api={api}
          workspaceId={workspaceId}
          onClose={() => setDialog(null)}
          onCreated={(id) => {
            setDialog(null);
            closeDrawer();
            navigate({ workspaceId, conversationId: id });
          }}
        />
      )}
      {dialog === "workspace" && (
        <NewWorkspaceDialog
          api={api}
          onClose={() => setDialog(null)}
          onCreated={(ws) => {
            setDialog(null);
            reloadMe();
            navigate({ workspaceId: ws.id, conversationId: null });
          }}
        />
      )}
    </div>
  );
  // The workspace's own personas, live from its index, for every picker and theme below.
  return <PersonasProvider value={customPersonas}>{screen}</PersonasProvider>;
}

function pickWorkspace(fromRoute: string | null, workspaces: readonly WorkspaceSummary[]): string | null {
  if (fromRoute && workspaces.some((w) => w.id === fromRoute)) return fromRoute;
  let last: string | null = null;
  try {
    last = localStorage.getItem(LAST_WORKSPACE);
  } catch {
    last = null;
  }
  if (last && workspaces.some((w) => w.id === last)) return last;
  return workspaces[0]?.id ?? null;
}

function Placeholder({
  header,
  title,
  text,
  action,
}: {
  header: ReactNode[];
  title: string;
  text: string | null;
  action: { label: string; run(): void } | null;
}) {
  return (
    <section className="conversation">
      <header className="conversation__header">
        {header[0]}
        <span className="spacer" />
        {header[1]}
      </header>
      <div className="empty">
        <h2>{title}</h2>
        {text && <p>{text}</p>}
        {action && (
          <button type="button" className="button button--primary" onClick={action.run}>
            {action.label}
          </button>
        )}
      </div>
    </section>
  );
}

function useClock(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(id);
  }, [everyMs]);
  return now;
}
