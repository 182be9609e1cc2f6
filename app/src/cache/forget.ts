// Sign-out leaves nothing of a person's documents on the device.
import { databaseNames, deleteDatabase } from "./idb";

/** The database name of one user's copy of one document. */
export function cacheName(userId: string, docName: string): string {
  return `junokit/${userId}/${docName}`;
}

/** Deletes every cached document of this user (other tabs let go on `versionchange`). */
export async function forgetLocalData(userId: string, factory: IDBFactory | null = typeof indexedDB === "undefined" ? null : indexedDB): Promise<void> {
  if (!factory) return;
  const prefix = cacheName(userId, "");
  const names = (await databaseNames(factory)) ?? [];
  await Promise.all(names.filter((n) => n.startsWith(prefix)).map((n) => deleteDatabase(factory, n)));
}
