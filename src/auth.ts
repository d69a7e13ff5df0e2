import { createMiddleware } from "hono/factory";
import { constantTimeEqual, sha256Hex } from "./crypto.ts";
import type { AppEnv, Caller } from "./env.ts";
import { ApiError } from "./errors.ts";
import { TokenStore } from "./store/tokens.ts";

/** Resolves the bearer token to a caller; 401 when missing or unknown. */
export const authenticate = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!match?.[1]) throw new ApiError("unauthorized", "send Authorization: Bearer <token>");
  const token = match[1];
  const admin = c.env.ADMIN_TOKEN;
  let caller: Caller | null = null;
  if (admin && constantTimeEqual(token, admin)) {
    caller = { scope: "admin" };
  } else {
    const grant = await new TokenStore(c.env.KV).lookup(await sha256Hex(token));
    if (grant?.scope === "ingest") caller = { scope: "ingest", tokenId: grant.id };
    if (grant?.scope === "subscriber") caller = { scope: "subscriber", subscriberId: grant.id };
  }
  if (!caller) throw new ApiError("unauthorized", "the token is not valid");
  c.set("caller", caller);
  await next();
});

/** For "admin or self" routes: admin may act for anyone, a subscriber only for itself. */
export function assertSubscriberAccess(caller: Caller, subscriberId: string): void {
  if (caller.scope === "admin") return;
  if (caller.scope === "subscriber" && caller.subscriberId === subscriberId) return;
  // 404 rather than 403 so ids of other subscribers cannot be probed.
  throw new ApiError("not_found", `no subscriber ${subscriberId}`);
}

/**
 * The subscriber a subscriber-or-admin listing is about: a subscriber's own (asking for
 * another's is a 404), or for admin the `subscriber_id` it must name.
 */
export function subscriberInScope(caller: Caller, requested: string | undefined): string {
  const subscriberId = requested ?? caller.subscriberId;
  if (!subscriberId) {
    throw new ApiError("validation_failed", "subscriber_id is required for admin", [
      { field: "subscriber_id", message: "required for admin tokens" },
    ]);
  }
  assertSubscriberAccess(caller, subscriberId);
  return subscriberId;
}
