import type { PresentPeer } from "./derive";
import { Avatar } from "./Avatar";

/** How a face is named in tooltips and for screen readers: "Ann (you)", "Dev (AI · model)". */
export function faceLabel(peer: PresentPeer): string {
  const name = peer.self ? `${peer.name} (you)` : peer.name;
  return peer.status ? `${name} (${peer.status})` : name;
}

/** A row of overlapping faces with a "+n"; the names are readable by hover and screen readers. */
export function Faces({ peers, max = 5, label }: { peers: readonly PresentPeer[]; max?: number; label: string }) {
  if (peers.length === 0) return null;
  const shown = peers.slice(0, max);
  const names = peers.map(faceLabel).join(", ");
  return (
    <span className="faces" role="group" aria-label={`${label}: ${names}`} title={names}>
      {shown.map((p) => (
        <span
          key={p.id}
          className={`faces__face${p.typing ? " faces__face--typing" : ""}${p.unavailable ? " faces__face--unavailable" : ""}`}
          data-peer={p.name}
          title={faceLabel(p)}
        >
          <Avatar id={p.id} name={p.name} color={p.color} size="sm" ai={p.kind === "ai"} />
        </span>
      ))}
      {peers.length > max && <span className="faces__more">+{peers.length - max}</span>}
    </span>
  );
}
