// Fixture for level-store.test.ts, run as its own process: appends numbered edits ("0,1,2,…")
// to one document, printing each number once its append resolved, until it is killed.
import { appendMessage, findMessage, messageText } from "@junokit/doc-model";
import * as Y from "yjs";
import { openLevelStore } from "./level-store";

const [dir, compactAfter] = process.argv.slice(2);
const store = await openLevelStore(dir!, { compactAfter: Number(compactAfter) });
const doc = new Y.Doc();
for (const update of await store.loadDocument("doc")) Y.applyUpdate(doc, update);

const unsaved: Uint8Array[] = [];
doc.on("update", (update: Uint8Array) => unsaved.push(update));
const message = findMessage(doc, "m1") ?? appendMessage(doc, { id: "m1", role: "user", authorId: "u", authorName: "U", createdAt: 1 });
const text = messageText(message);

for (let n = text.toString().split(",").length - 1; ; n++) {
  text.insert(text.length, `${n},`);
  while (unsaved.length > 0) await store.appendUpdate("doc", unsaved.shift()!);
  process.stdout.write(`${n}\n`);
}
