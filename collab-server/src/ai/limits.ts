import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";

/**
 * Cost control (SPEC AI-13): how many prompts a person and a workspace may send the AI per
 * minute. In memory for one process; the scale-out path backs the same interface with Redis.
 */
export interface PromptLimits {
  /** Counts one prompt; resolves null when allowed, or the message the refusal shows. */
  take(userId: string, workspaceId: string): Promise<string | null>;
}

export interface PromptLimitSettings {
  perUserPerMinute: number;
  perWorkspacePerMinute: number;
}

export function createMemoryPromptLimits(settings: PromptLimitSettings): PromptLimits {
  const perUser = new RateLimiterMemory({ points: settings.perUserPerMinute, duration: 60 });
  const perWorkspace = new RateLimiterMemory({ points: settings.perWorkspacePerMinute, duration: 60 });
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
