import { useEffect, useLayoutEffect, useMemo, useState } from "react";
import { createApiClient, type ApiClient, type Session } from "../api";
import { AuthScreen, forgetUser, sessionStore, signOut, storedSession } from "../auth";
import { askForPersistentStorage, forgetLocalData } from "../cache";
import { createConnection, exposeForDebugging, signOutLock, useStore, waitingText, withTabLock, type Connection } from "../connection";
import { conversationScreen, rescueUnsent } from "../conversation";
import { stopDeviceSearch } from "../offline-search";
import { startAppUpdates } from "./update";
import { UpdatePrompt } from "./UpdatePrompt";
import { Workspace } from "./Workspace";

/** Signed out: the sign-in screen. Signed in: the workspace, on one live connection. */
export function App() {
  const session = useStore(sessionStore);
  const api = useMemo(
    () =>
      createApiClient({
        getToken: () => sessionStore.get()?.token ?? null,
        onUnauthorized: () => signOut("Your session has ended. Sign in again to continue."),
      }),
    [],
  );
  useEffect(startAppUpdates, []);
  return (
    <>
      {session ? <SignedIn key={session.user.id} api={api} session={session} /> : <AuthScreen api={api} />}
      <UpdatePrompt />
    </>
  );
}

function SignedIn({ api, session }: { api: ApiClient; session: Session }) {
  const [connection, setConnection] = useState<Connection | null>(null);
  const userId = session.user.id;

  // A layout effect: the workspace (and a cached conversation's first screen) then renders
  // before the first paint instead of one frame later.
  useLayoutEffect(() => {
    const created = createConnection({
      url: `${location.origin.replace(/^http/, "ws")}/collab`,
      getToken: () => sessionStore.get()?.token ?? null,
      userId,
      onTokenRefused: () => signOut("Your session has ended. Sign in again to continue."),
      screenOf: conversationScreen,
      rescueOf: rescueUnsent,
      stillSignedIn: () => storedSession()?.user.id === userId,
    });
    setConnection(created);
    exposeForDebugging(created);
    void askForPersistentStorage();
    return () => {
      exposeForDebugging(null);
      void created.destroy();
    };
  }, [userId]);

  if (!connection) return null;
  return <Workspace api={api} session={session} connection={connection} onSignOut={() => void signOutHere(connection, userId)} />;
}

/**
 * Signing out leaves nothing of the person on this device: the session (other tabs follow),
 * their cached documents and everything kept in localStorage. Changes that never reached the
 * server would be lost, so that needs a confirmation.
 */
async function signOutHere(connection: Connection, userId: string): Promise<void> {
  const waiting = waitingText(connection.waiting.get());
  if (waiting && !window.confirm(`${waiting}: they have not reached the server yet, and signing out deletes them from this device. Sign out anyway?`)) return;
  // Other tabs wait for this lock before reacting to their deleted caches (documents.ts).
  await withTabLock(signOutLock(userId), async () => {
    forgetUser(userId);
    // The offline search's index holds this person's messages in memory.
    stopDeviceSearch();
    await connection.destroy();
    await forgetLocalData(userId);
  });
  signOut();
}
