import { describe, expect, it } from "vitest";
import { parseRoute, routeHref } from "./route";

describe("routes in the URL hash (APP-ROUTE-1)", () => {
  it("round-trips workspace and conversation", () => {
    const route = { workspaceId: "w_1", conversationId: "c-2" };
    expect(parseRoute(routeHref(route))).toEqual(route);
    expect(parseRoute(routeHref({ workspaceId: "w1", conversationId: null }))).toEqual({ workspaceId: "w1", conversationId: null });
  });
  it("ignores anything that is not a valid id", () => {
    expect(parseRoute("#/w/../c/x")).toEqual({ workspaceId: null, conversationId: null });
    expect(parseRoute("#/w/w1/c/a%2Fb")).toEqual({ workspaceId: "w1", conversationId: null });
    expect(parseRoute("")).toEqual({ workspaceId: null, conversationId: null });
  });
});
