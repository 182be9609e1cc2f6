import { useStore } from "../connection";
import { reloadIntoUpdate, updateReady } from "./update";

/** "A new version is ready": reload now, or later (the next visit uses it anyway). */
export function UpdatePrompt() {
  const ready = useStore(updateReady);
  if (!ready) return null;
  return (
    <div className="update-prompt" role="status" data-testid="update-prompt">
      <span>A new version of JunoKit is ready.</span>
      <button type="button" className="button button--primary button--small" onClick={reloadIntoUpdate}>
        Reload
      </button>
      <button type="button" className="button button--small" onClick={() => updateReady.set(false)}>
        Later
      </button>
    </div>
  );
}
