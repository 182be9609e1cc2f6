import { STORAGE_PROBLEM_TEXT, storageHealth } from "../cache";
import type { Connection } from "./documents";
import { useConnectionState, useStore } from "./hooks";
import { CONNECTION_HINT, CONNECTION_LABEL, waitingText } from "./status";

/** Always-visible connection state: a coloured dot and a word, and how much waits to sync. */
export function ConnectionBadge({ connection }: { connection: Connection }) {
  const state = useConnectionState(connection);
  const waiting = useStore(connection.waiting);
  const pending = waitingText(waiting);
  // Live with changes in flight is normal for a moment; the count matters when not live.
  const showCount = waiting > 0 && state !== "live";
  return (
    <span
      className={`connection connection--${state}`}
      role="status"
      aria-live="polite"
      title={pending ? `${CONNECTION_HINT[state]} ${pending}.` : CONNECTION_HINT[state]}
      data-connection={state}
      data-waiting={waiting}
    >
      <span className="connection__dot" aria-hidden="true" />
      <span className="connection__label">{CONNECTION_LABEL[state]}</span>
      {showCount && (
        <span className="connection__waiting" aria-label={pending ?? undefined}>
          {waiting}
        </span>
      )}
    </span>
  );
}

/**
 * Banners under the top bar: while not live, what it means for the person's work and how much
 * waits to sync (with a way to retry at once); and any problem keeping data on this device.
 */
export function ConnectionNotice({ connection }: { connection: Connection }) {
  const state = useConnectionState(connection);
  const waiting = useStore(connection.waiting);
  const storage = useStore(storageHealth);
  const pending = waitingText(waiting);
  return (
    <>
      {(state === "offline" || state === "reconnecting") && (
        <div className={`notice notice--${state} notice--actions`} data-testid="connection-notice">
          {CONNECTION_HINT[state]}
          {pending && <strong className="notice__waiting"> {pending}.</strong>}
          {state === "reconnecting" && (
            <button type="button" className="button button--small notice__action" onClick={connection.retryNow}>
              Retry now
            </button>
          )}
        </div>
      )}
      {storage && (
        <div className="notice notice--warn" role="alert" data-storage-problem={storage.kind} title={storage.detail}>
          {STORAGE_PROBLEM_TEXT[storage.kind]}
        </div>
      )}
    </>
  );
}
