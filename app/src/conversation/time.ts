// Times as chat apps show them: short and relative in lists, clock time on messages.
// Formatters are made once: `toLocale…String` with options builds a new Intl formatter on
// every call (about a millisecond each), which dominated rendering a screenful of messages.

const formatters = new Map<string, Intl.DateTimeFormat>();

function format(ms: number, options: Intl.DateTimeFormatOptions): string {
  const key = JSON.stringify(options);
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(undefined, options);
    formatters.set(key, formatter);
  }
  return formatter.format(ms);
}

export function formatRelative(ms: number, now = Date.now()): string {
  if (!ms) return "";
  const diff = Math.max(0, now - ms);
  if (diff < 60_000) return "now";
  if (diff < 3_600_000) return `${Math.floor(diff / 60_000)}m`;
  if (diff < 86_400_000) return `${Math.floor(diff / 3_600_000)}h`;
  if (diff < 7 * 86_400_000) return format(ms, { weekday: "short" });
  return format(ms, { month: "short", day: "numeric" });
}

export function formatClock(ms: number): string {
  return format(ms, { hour: "2-digit", minute: "2-digit" });
}

export function formatDay(ms: number, now = Date.now()): string {
  const day = new Date(ms).toDateString();
  if (day === new Date(now).toDateString()) return "Today";
  if (day === new Date(now - 86_400_000).toDateString()) return "Yesterday";
  return format(ms, { weekday: "long", month: "long", day: "numeric" });
}

export function formatFull(ms: number): string {
  return format(ms, { dateStyle: "short", timeStyle: "medium" });
}
