import type { WorkspaceSummary } from "../api";

const NEW = "__new__";

/** Pick the workspace; the last option creates a new one. */
export function WorkspaceSwitcher({
  workspaces,
  currentId,
  onSwitch,
  onCreate,
}: {
  workspaces: readonly WorkspaceSummary[];
  currentId: string | null;
  onSwitch(id: string): void;
  onCreate(): void;
}) {
  return (
    <label className="switcher">
      <span className="visually-hidden">Workspace</span>
      <select
        className="switcher__select"
        value={currentId ?? ""}
        onChange={(e) => (e.target.value === NEW ? onCreate() : onSwitch(e.target.value))}
      >
        {workspaces.map((w) => (
          <option key={w.id} value={w.id}>
            {w.name}
            {w.role !== "owner" ? ` (${w.role})` : ""}
          </option>
        ))}
        <option value={NEW}>+ New workspace…</option>
      </select>
    </label>
  );
}
