// Documents with changes the server has not acknowledged, remembered per user in
// localStorage (one key per document, so tabs never overwrite each other's lists). The
// connection opens them at start and keeps them open until delivered, so an offline edit is
// sent on reconnect even when its conversation is not on screen, also after a reload.
const PREFIX = "junokit.outbox.";

function key(userId: string, docName: string): string {
  return `${PREFIX}${userId}.${docName}`;
}

export function markWaiting(userId: string, docName: string, waiting: boolean): void {
  try {
    if (waiting) localStorage.setItem(key(userId, docName), String(Date.now()));
    else localStorage.removeItem(key(userId, docName));
  } catch {
    // Without storage, offline edits still go out while the tab stays open.
  }
}

export function waitingDocuments(userId: string): string[] {
  const prefix = key(userId, "");
  const names: string[] = [];
  try {
    for (let i = 0; i < localStorage.length; i++) {
      const k = localStorage.key(i);
      if (k?.startsWith(prefix)) names.push(k.slice(prefix.length));
    }
  } catch {
    // Nothing remembered.
  }
  return names;
}
