// Configuration: read once from the environment (and an optional .env), validated with zod,
// then passed down explicitly. Nothing else in the server reads process.env.
export { parseConfig, readEnvironment, ConfigError, type Config } from "./config";
