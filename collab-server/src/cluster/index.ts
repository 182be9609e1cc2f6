// Scale-out: several instances share live documents and awareness through Redis
// (@hocuspocus/extension-redis) and keep them in step after Redis restarts.
export { joinCluster, redactUrl, type ClusterLink } from "./cluster";
export { limiterFactory, type LimiterFactory, type LimiterOptions } from "./limiters";
