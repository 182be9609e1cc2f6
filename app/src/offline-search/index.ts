// Offline search: the conversations cached on this device, searched in a worker with the same
// index, ranking and snippets as the server's search (SPEC SRCH-7), for when the server can't
// be reached.
export { searchDevice, stopDeviceSearch } from "./client";
export type { DeviceSearchResult } from "./client";
// DeviceSearch itself (./device-search) is not exported here: the page loads it only where no
// worker can run, so its index stays out of the main bundle.
export type { ConversationRef, DeviceSearchOptions, DeviceSearchStatus, RefreshRequest } from "./device-search";
