import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from "rate-limiter-flexible";

/**
 * Cost control (SPEC AI-13): how many prompts a person and a workspace may send the AI per
 * minute. In memory for one process, or shared through whatever limiters the caller makes
 * (Redis when instances are clustered).
 */
export interface PromptLimits {
  /** Counts one prompt; resolves null when allowed, or the message the refusal shows. */
  take(userId: string, workspaceId: string): Promise<string | null>;
}

export interface PromptLimitSettings {
  perUserPerMinute: number;
  perWorkspacePerMinute: number;
}

export type MakeLimiter = (options: { keyPrefix: string; points: number; duration: number }) => RateLimiterAbstract;

export function createPromptLimits(settings: PromptLimitSettings, makeLimiter: MakeLimiter = (o) => new RateLimiterMemory(o)): PromptLimits {
  const perUser = makeLimiter({ keyPrefix: "ai-prompts-user", points: settings.perUserPerMinute, duration: 60 });
  const perWorkspace = makeLimiter({ keyPrefix: "ai-prompts-workspace", points: settings.perWorkspacePerMinute, duration: 60 });
  return {
    async take(userId, workspaceId) {
      try {
        await perUser.consume(userId);
      } catch (res) {
        if (!(res instanceof RateLimiterRes)) throw res;
        return `You have sent ${settings.perUserPerMinute} prompts to the AI in the last minute, the most one person may. Try again in ${wait(res)}.`;
      }
      try {
        await perWorkspace.consume(workspaceId);
      } catch (res) {
        if (!(res instanceof RateLimiterRes)) throw res;
        // The person's point is given back: the workspace, not they, hit the limit.
        await perUser.reward(userId).catch(() => undefined);
        return `This workspace has sent ${settings.perWorkspacePerMinute} prompts to the AI in the last minute, the most it may. Try again in ${wait(res)}.`;
      }
      return null;
    },
  };
}

function wait(res: RateLimiterRes): string {
  return `${Math.max(1, Math.ceil(res.msBeforeNext / 1000))} s`;
}
