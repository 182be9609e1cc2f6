import { ImportError } from "./errors";

export interface JsonBounds {
  maxDepth: number;
  /** Objects and arrays in the whole file: what JSON.parse's memory grows with. */
  maxContainers: number;
}

export const DEFAULT_JSON_BOUNDS: JsonBounds = { maxDepth: 128, maxContainers: 2_000_000 };

// Keys that mean something to JavaScript objects; no JunoKit or ChatGPT field uses them.
const DROPPED_KEYS = new Set(["__proto__", "constructor", "prototype"]);

/**
 * Parses untrusted JSON (SPEC XFER-5): the structure is measured first in one linear pass (so
 * a file of a million tiny arrays or a 100 000-deep nesting is refused before it is built),
 * then parsed with `__proto__`, `constructor` and `prototype` keys dropped.
 */
export function parseUntrustedJson(text: string, bounds: JsonBounds = DEFAULT_JSON_BOUNDS): unknown {
  measure(text, bounds);
  try {
    return JSON.parse(text, (key, value) => (DROPPED_KEYS.has(key) ? undefined : value));
  } catch (err) {
    const detail = (err as Error).message.replace(/\s+/g, " ").slice(0, 200);
    throw new ImportError(400, "invalid_json", `the file is not valid JSON (corrupted or cut short?): ${detail}`);
  }
}

function measure(text: string, bounds: JsonBounds): void {
  let depth = 0;
  let containers = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 123 /* { */ || c === 91 /* [ */) {
      if (++depth > bounds.maxDepth) throw new ImportError(400, "too_deep", `the file nests deeper than ${bounds.maxDepth} levels`);
      if (++containers > bounds.maxContainers) throw new ImportError(413, "too_large", `the file holds more than ${bounds.maxContainers} objects and lists`);
    } else if (c === 125 /* } */ || c === 93 /* ] */) {
      depth--;
    }
  }
}
