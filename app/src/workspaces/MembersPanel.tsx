import { useState, type FormEvent } from "react";
import { describeError, WORKSPACE_ROLES, type ApiClient, type Member, type WorkspaceDetails, type WorkspaceRole } from "../api";
import { usernameProblem } from "../auth";
import { PersonasSettings } from "../personas";
import { Avatar, type PresentPeer } from "../presence";

const ROLE_HINT: Record<WorkspaceRole, string> = {
  owner: "can add people and do everything editors do",
  editor: "can write in every conversation",
  viewer: "can read only",
};

/**
 * The workspace's settings beside the conversation: who is in it, who is online, adding people
 * (owners), and its personas (SPEC AI-19; owners edit them).
 */
export function MembersPanel({
  api,
  workspaceId,
  role,
  details,
  error,
  online,
  onChanged,
  onClose,
}: {
  api: ApiClient;
  workspaceId: string | null;
  role: WorkspaceRole | undefined;
  details: WorkspaceDetails | null;
  error: string | null;
  online: readonly PresentPeer[];
  onChanged(): Promise<void>;
  onClose(): void;
}) {
  const [tab, setTab] = useState<"members" | "personas">("members");
  const onlineIds = new Set(online.map((p) => p.id));
  const members = [...(details?.members ?? [])].sort(
    (a, b) => Number(onlineIds.has(b.userId)) - Number(onlineIds.has(a.userId)) || a.displayName.localeCompare(b.displayName),
  );
  return (
    <aside className="panel" aria-label="Members">
      <header className="panel__header">
        <h2>{tab === "members" ? "Members" : "Personas"}</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label="Close members">
          ✕
        </button>
      </header>
      <div className="tabs panel__tabs" role="tablist" aria-label="Workspace settings">
        {(["members", "personas"] as const).map((t) => (
          <button key={t} type="button" role="tab" className="tabs__tab" aria-selected={tab === t} onClick={() => setTab(t)}>
            {t === "members" ? "Members" : "Personas"}
          </button>
        ))}
      </div>
      {tab === "personas" && workspaceId && <PersonasSettings api={api} workspaceId={workspaceId} role={role} />}
      {tab === "members" && <MembersList api={api} details={details} error={error} onlineIds={onlineIds} members={members} onChanged={onChanged} />}
    </aside>
  );
}

function MembersList({
  api,
  details,
  error,
  onlineIds,
  members,
  onChanged,
}: {
  api: ApiClient;
  details: WorkspaceDetails | null;
  error: string | null;
  onlineIds: ReadonlySet<string>;
  members: Member[];
  onChanged(): Promise<void>;
}) {
  return (
    <>
      {error && <p className="form__error" role="alert">{error}</p>}
      {!details && !error && <p className="muted">Loading members…</p>}
      {details && (
        <>
          <p className="muted small">
            You are {details.role === "owner" ? "an owner" : `${details.role === "editor" ? "an editor" : "a viewer"}`} of {details.name}.
          </p>
          <ul className="members">
            {members.map((m) => (
              <MemberRow key={m.userId} member={m} online={onlineIds.has(m.userId)} />
            ))}
          </ul>
          {details.role === "owner" && <AddMember api={api} workspaceId={details.id} onAdded={onChanged} />}
        </>
      )}
    </>
  );
}

function MemberRow({ member, online }: { member: Member; online: boolean }) {
  return (
    <li className="member" data-username={member.username}>
      <span className="member__face">
        <Avatar id={member.userId} name={member.displayName || member.username} size="sm" />
        <span className={`presence-dot${online ? " presence-dot--on" : ""}`} aria-label={online ? "online" : "offline"} role="img" />
      </span>
      <span className="member__names">
        <span className="member__name">{member.displayName || member.username}</span>
        <span className="member__username">@{member.username}</span>
      </span>
      <span className={`role role--${member.role}`}>{member.role}</span>
    </li>
  );
}

function AddMember({ api, workspaceId, onAdded }: { api: ApiClient; workspaceId: string; onAdded(): Promise<void> }) {
  const [username, setUsername] = useState("");
  const [role, setRole] = useState<WorkspaceRole>("editor");
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const name = username.trim().toLowerCase().replace(/^@/, "");
    setDone(null);
    const problem = usernameProblem(name);
    if (problem) {
      setError(`That is not a valid username. ${problem}`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.addMember(workspaceId, name, role);
      await onAdded();
      setUsername("");
      setDone(`Added @${name} as ${role}.`);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="form add-member" onSubmit={submit}>
      <h3>Add someone</h3>
      <label className="field">
        <span>Username</span>
        <input name="member" value={username} onChange={(e) => setUsername(e.target.value)} placeholder="their username" autoCapitalize="none" spellCheck={false} />
      </label>
      <label className="field">
        <span>Role</span>
        <select name="role" value={role} onChange={(e) => setRole(e.target.value as WorkspaceRole)}>
          {WORKSPACE_ROLES.map((r) => (
            <option key={r} value={r}>
              {r} — {ROLE_HINT[r]}
            </option>
          ))}
        </select>
      </label>
      {error && (
        <p className="form__error" role="alert">
          {error}
        </p>
      )}
      {done && (
        <p className="form__ok" role="status">
          {done}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={busy || !username.trim()}>
        {busy ? "Adding…" : "Add to workspace"}
      </button>
    </form>
  );
}
