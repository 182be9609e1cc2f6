// Structured JSON logs with levels (pino). Secrets are redacted by path as a second line of
// defence; the first is never passing them to a log call.
import { pino, type Logger } from "pino";

export type { Logger };

const REDACT = [
  "password", "*.password", "token", "*.token", "authorization", "*.authorization",
  "apiKey", "*.apiKey", "jwtSecret", "*.jwtSecret", "passwordHash", "*.passwordHash",
  "headers.authorization", "req.headers.authorization", "req.headers.cookie",
];

export function createLogger(level: string, destination?: NodeJS.WritableStream): Logger {
  const options = { level, base: { service: "junokit" }, redact: { paths: REDACT, censor: "[redacted]" } };
  return destination ? pino(options, destination as never) : pino(options);
}
