// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from "vitest";
import { markWaiting, waitingDocuments } from "./outbox";

beforeEach(() => localStorage.clear());

describe("outbox (OFF-OUTBOX-1: documents with undelivered changes are remembered per user)", () => {
  it("remembers and forgets documents per user, one key each", () => {
    markWaiting("u1", "ws/w1/conv/c1", true);
    markWaiting("u1", "ws/w1/conv/c2", true);
    markWaiting("u2", "ws/w1/conv/c3", true);
    markWaiting("u1", "ws/w1/conv/c1", false);
    expect(waitingDocuments("u1")).toEqual(["ws/w1/conv/c2"]);
    expect(waitingDocuments("u2")).toEqual(["ws/w1/conv/c3"]);
    expect(waitingDocuments("u3")).toEqual([]);
  });
});
