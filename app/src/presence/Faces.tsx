import type { PresentPeer } from "./derive";
import { Avatar } from "./Avatar";

/** A row of overlapping faces with a "+n"; the names are readable by hover and screen readers. */
export function Faces({ peers, max = 5, label }: { peers: readonly PresentPeer[]; max?: number; label: string }) {
  if (peers.length === 0) return null;
  const shown = peers.slice(0, max);
  const names = peers.map((p) => (p.self ? `${p.name} (you)` : p.name)).join(", ");
  return (
    <span className="faces" role="group" aria-label={`${label}: ${names}`} title={names}>
      {shown.map((p) => (
        <span key={p.id} className={`faces__face${p.typing ? " faces__face--typing" : ""}`} data-peer={p.name}>
          <Avatar id={p.id} name={p.name} color={p.color} size="sm" ai={p.kind === "ai"} />
        </span>
      ))}
      {peers.length > max && <span className="faces__more">+{peers.length - max}</span>}
    </span>
  );
}
