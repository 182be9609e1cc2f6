// Consecutive messages by one author read as one block, the way chat apps show them; a long
// pause or a new day starts a new block so the time above it stays meaningful.
import type { Message } from "@junokit/doc-model";

export const GROUP_GAP_MS = 5 * 60 * 1000;

export interface MessageGroup {
  /** Stable React key: the first message's id. */
  key: string;
  authorId: string;
  authorName: string;
  role: Message["role"];
  startedAt: number;
  /** True when this group is the first of its calendar day (local time). */
  newDay: boolean;
  messages: Message[];
}

export function groupMessages(messages: readonly Message[], gapMs = GROUP_GAP_MS): MessageGroup[] {
  const groups: MessageGroup[] = [];
  let current: MessageGroup | undefined;
  let last: Message | undefined;
  for (const message of messages) {
    const sameDay = last !== undefined && dayKey(last.createdAt) === dayKey(message.createdAt);
    const joins =
      current !== undefined &&
      last !== undefined &&
      current.authorId === message.authorId &&
      sameDay &&
      message.createdAt - last.createdAt <= gapMs;
    if (joins && current) {
      current.messages.push(message);
    } else {
      current = {
        key: message.id,
        authorId: message.authorId,
        authorName: message.authorName,
        role: message.role,
        startedAt: message.createdAt,
        newDay: !sameDay,
        messages: [message],
      };
      groups.push(current);
    }
    last = message;
  }
  return groups;
}

function dayKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

/**
 * Gives each group the key it had before, if any of its messages was already shown in a
 * group: when the rendered window grows upwards, the top group gains earlier messages (and a
 * new first message) but stays the same element, so nothing in it is rebuilt (a highlighted
 * search hit keeps its highlight, a text selection survives). Returns the keys to pass next time.
 */
export function keepGroupKeys(groups: MessageGroup[], previous: ReadonlyMap<string, string>): Map<string, string> {
  const next = new Map<string, string>();
  const used = new Set<string>();
  for (const group of groups) {
    const earlier = group.messages.map((m) => previous.get(m.id)).find((k): k is string => k !== undefined && !used.has(k));
    if (earlier !== undefined && !used.has(earlier)) group.key = earlier;
    if (used.has(group.key)) group.key = group.messages[0]!.id;
    used.add(group.key);
    for (const m of group.messages) next.set(m.id, group.key);
  }
  return next;
}
