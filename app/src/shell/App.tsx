import { useEffect, useMemo, useState } from "react";
import { createApiClient, type ApiClient, type Session } from "../api";
import { AuthScreen, sessionStore, signOut } from "../auth";
import { createConnection, exposeForDebugging, forgetLocalData, useStore, type Connection } from "../connection";
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
  if (!session) return <AuthScreen api={api} />;
  return <SignedIn key={session.user.id} api={api} session={session} />;
}

function SignedIn({ api, session }: { api: ApiClient; session: Session }) {
  const [connection, setConnection] = useState<Connection | null>(null);
  const userId = session.user.id;

  useEffect(() => {
    const created = createConnection({
      url: `${location.origin.replace(/^http/, "ws")}/collab`,
      getToken: () => sessionStore.get()?.token ?? null,
      userId,
      onTokenRefused: () => signOut("Your session has ended. Sign in again to continue."),
    });
    setConnection(created);
    exposeForDebugging(created);
    return () => {
      exposeForDebugging(null);
      created.destroy();
    };
  }, [userId]);

  if (!connection) return null;
  return (
    <Workspace
      api={api}
      session={session}
      connection={connection}
      onSignOut={() => {
        signOut();
        void forgetLocalData(userId);
      }}
    />
  );
}
