import type { ContentfulStatusCode } from "hono/utils/http-status";

/** A file that cannot be imported, with the status and words the client should see. */
export class ImportError extends Error {
  constructor(readonly status: ContentfulStatusCode, readonly code: string, message: string) {
    super(message);
    this.name = "ImportError";
  }
}
