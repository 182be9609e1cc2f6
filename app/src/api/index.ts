// The typed HTTP client for JunoKit's API (DESIGN.md §3) and the shapes it returns.
// Screens call these functions; no other module builds an /api URL.
export * from "./types";
export { ApiError, createApiClient, describeError, toApiError } from "./client";
export type { ApiClient, ApiClientOptions, ApiErrorCode } from "./client";
