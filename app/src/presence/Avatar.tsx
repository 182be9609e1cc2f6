import { colorFor } from "@junokit/doc-model";

export function initials(name: string): string {
  const words = name.trim().split(/[\s._-]+/).filter(Boolean);
  const letters = words.length > 1 ? `${words[0]![0]}${words[1]![0]}` : (words[0]?.[0] ?? "?");
  return letters.toUpperCase();
}

/** A round face: initials on the person's colour, the same on every screen. */
export function Avatar({
  id,
  name,
  color,
  size = "md",
  ai = false,
}: {
  id: string;
  name: string;
  color?: string;
  size?: "sm" | "md";
  ai?: boolean;
}) {
  return (
    <span className={`avatar avatar--${size}${ai ? " avatar--ai" : ""}`} style={{ background: color ?? colorFor(id) }} aria-hidden="true">
      {ai ? "✦" : initials(name)}
    </span>
  );
}
