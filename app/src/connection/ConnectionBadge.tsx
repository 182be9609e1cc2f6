import type { Connection } from "./documents";
import { useConnectionState } from "./hooks";
import { CONNECTION_HINT, CONNECTION_LABEL } from "./status";

/** Always-visible connection state: a coloured dot and a word, with the details on hover. */
export function ConnectionBadge({ connection }: { connection: Connection }) {
  const state = useConnectionState(connection);
  return (
    <span className={`connection connection--${state}`} role="status" aria-live="polite" title={CONNECTION_HINT[state]} data-connection={state}>
      <span className="connection__dot" aria-hidden="true" />
      <span className="connection__label">{CONNECTION_LABEL[state]}</span>
    </span>
  );
}

/** A banner under the top bar while not live, saying what it means for the person's work. */
export function ConnectionNotice({ connection }: { connection: Connection }) {
  const state = useConnectionState(connection);
  if (state === "live" || state === "connecting") return null;
  return <div className={`notice notice--${state}`}>{CONNECTION_HINT[state]}</div>;
}
