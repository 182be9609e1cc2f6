// The offline search's own thread: reading cached copies and indexing them (a 10,000-message
// conversation is a good half second of Yjs and MiniSearch work) never blocks the page.
import { DeviceSearch } from "./device-search";
import { answer, type SearchReply, type SearchRequest } from "./protocol";

const search = new DeviceSearch({ factory: typeof indexedDB === "undefined" ? null : indexedDB });
const post = (reply: SearchReply) => (self as unknown as { postMessage(m: SearchReply): void }).postMessage(reply);

self.addEventListener("message", (event) => void answer(search, (event as MessageEvent<SearchRequest>).data, post));
