import { afterEach, describe, expect, it } from "vitest";
import { api, register, startTestServer, type TestServer } from "../support/server";

// Ten failed sign-ins with different usernames from one address block that address (API-4);
// these tests show which address that is, with and without a trusted proxy in front.
async function exhaustAddress(base: string, forwardedFor: string): Promise<number> {
  let status = 0;
  for (let i = 0; i < 12 && status !== 429; i++) {
    const res = await api(base, "/api/auth/login", {
      body: { username: `nobody${i}`, password: "wrong password" },
      headers: { "x-forwarded-for": forwardedFor },
    });
    status = res.status;
  }
  return status;
}

const signIn = (base: string, username: string, forwardedFor: string) =>
  api(base, "/api/auth/login", { body: { username, password: "correct horse battery" }, headers: { "x-forwarded-for": forwardedFor } });

let t: TestServer | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe("the address sign-in limits count (API-9)", () => {
  it("API-9 behind one trusted proxy, each client is limited on its own address", async () => {
    t = await startTestServer({ env: { TRUST_PROXY_HOPS: "1" } });
    const ann = await register(t.url, "ann");
    // The client wrote "6.6.6.6" itself; the proxy appended the real address after it.
    expect(await exhaustAddress(t.url, "6.6.6.6, 10.0.0.1")).toBe(429);
    expect((await signIn(t.url, ann.user.username, "10.0.0.1")).status).toBe(429);
    // Another client behind the same proxy signs in; a forged left-hand entry changes nothing.
    expect((await signIn(t.url, ann.user.username, "10.0.0.2")).status).toBe(200);
    expect((await signIn(t.url, ann.user.username, "10.0.0.2, 10.0.0.1")).status).toBe(429);
  });

  it("API-9 with no trusted proxy the header is ignored, so a forged one escapes nothing", async () => {
    t = await startTestServer();
    const ann = await register(t.url, "ann");
    expect(await exhaustAddress(t.url, "10.0.0.1")).toBe(429);
    const forged = await signIn(t.url, ann.user.username, "10.0.0.99");
    expect(forged.status).toBe(429);
    expect(Number(forged.headers.get("retry-after"))).toBeGreaterThan(0);
  });
});
