import { describe, expect, it } from "vitest";
import { connectionState } from "./status";

describe("connection state (APP-CONN-1: the badge tells live, reconnecting or offline)", () => {
  it("is offline whenever the browser is offline, whatever the socket says", () => {
    expect(connectionState("connected", false, true)).toBe("offline");
    expect(connectionState("connecting", false, false)).toBe("offline");
  });
  it("is live when the socket is connected", () => {
    expect(connectionState("connected", true, false)).toBe("live");
  });
  it("is connecting before the first success and reconnecting after it", () => {
    expect(connectionState("connecting", true, false)).toBe("connecting");
    expect(connectionState("disconnected", true, true)).toBe("reconnecting");
    expect(connectionState("connecting", true, true)).toBe("reconnecting");
  });
});
