import { errors, jwtVerify, SignJWT } from "jose";

export interface TokenIssuer {
  issue(userId: string): Promise<string>;
  /** The user id the token was issued to, or null for a bad, forged or expired token. */
  verify(token: string): Promise<string | null>;
}

const ISSUER = "junokit";

export function createTokenIssuer(secret: string, ttlSeconds: number): TokenIssuer {
  const key = new TextEncoder().encode(secret);
  return {
    issue: (userId) =>
      new SignJWT({}).setProtectedHeader({ alg: "HS256" }).setSubject(userId).setIssuer(ISSUER)
        .setIssuedAt().setExpirationTime(`${ttlSeconds}s`).sign(key),
    async verify(token) {
      try {
        const { payload } = await jwtVerify(token, key, { issuer: ISSUER, algorithms: ["HS256"] });
        return typeof payload.sub === "string" ? payload.sub : null;
      } catch (error) {
        if (error instanceof errors.JOSEError || error instanceof TypeError) return null;
        throw error;
      }
    },
  };
}
