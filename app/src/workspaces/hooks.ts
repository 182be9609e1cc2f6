import { observeIndex, readIndex, type IndexEntry } from "@junokit/doc-model";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError, describeError, type ApiClient, type Me, type Session, type WorkspaceDetails } from "../api";
import { cachedMe, rememberMe } from "../auth";
import { useDocumentValue, type DocumentHandle } from "../connection";

export interface MeState {
  me: Me | null;
  error: string | null;
  /** True while showing the cached answer because the server can't be reached. */
  stale: boolean;
  reload(): void;
}

// One creation at a time per user, so a double mount can't create two personal workspaces.
const ensuring = new Map<string, Promise<Me>>();

/** Who I am and my workspaces; a new account gets its personal workspace here. */
export function useMe(api: ApiClient, session: Session): MeState {
  const userId = session.user.id;
  const [me, setMe] = useState<Me | null>(() => cachedMe(userId));
  const [error, setError] = useState<string | null>(null);
  const [stale, setStale] = useState(false);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    let running = ensuring.get(userId);
    if (!running) {
      running = loadMe(api, session).finally(() => ensuring.delete(userId));
      ensuring.set(userId, running);
    }
    running.then(
      (fresh) => {
        if (cancelled) return;
        rememberMe(fresh);
        setMe(fresh);
        setError(null);
        setStale(false);
      },
      (e: unknown) => {
        if (cancelled) return;
        const offline = e instanceof ApiError && e.code === "network";
        setStale(offline);
        setError(describeError(e));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [api, session, userId, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  // Back online after an offline start: ask the server again.
  useEffect(() => {
    window.addEventListener("online", reload);
    return () => window.removeEventListener("online", reload);
  }, [reload]);
  return { me, error, stale, reload };
}

async function loadMe(api: ApiClient, session: Session): Promise<Me> {
  const me = await api.me();
  if (me.workspaces.length > 0) return me;
  const name = `${session.user.displayName || session.user.username}'s workspace`;
  const created = await api.createWorkspace(name);
  return { ...me, workspaces: [created] };
}

export interface DetailsState {
  details: WorkspaceDetails | null;
  error: string | null;
  reload(): Promise<void>;
}

/** Members and my role in one workspace. */
export function useWorkspaceDetails(api: ApiClient, workspaceId: string | null): DetailsState {
  const [details, setDetails] = useState<WorkspaceDetails | null>(null);
  const [error, setError] = useState<string | null>(null);
  const current = useRef(workspaceId);
  current.current = workspaceId;

  const reload = useCallback(async () => {
    if (!workspaceId) return;
    try {
      const fresh = await api.workspace(workspaceId);
      if (current.current === workspaceId) {
        setDetails(fresh);
        setError(null);
      }
    } catch (e) {
      if (current.current === workspaceId) setError(describeError(e));
    }
  }, [api, workspaceId]);

  useEffect(() => {
    setDetails(null);
    setError(null);
    void reload();
    const again = () => void reload();
    window.addEventListener("online", again);
    return () => window.removeEventListener("online", again);
  }, [reload]);

  return { details: details?.id === workspaceId ? details : null, error, reload };
}

const NO_ENTRIES: IndexEntry[] = [];

/** The live conversation list of the workspace index document. */
export function useConversationIndex(handle: DocumentHandle | null): IndexEntry[] {
  return useDocumentValue(handle, observeIndex, readIndex, NO_ENTRIES);
}
