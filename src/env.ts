/**
 * Bindings come from `wrangler types` (worker-configuration.d.ts). Secrets are not in
 * wrangler.toml (`wrangler types` sees them only when a .dev.vars exists), so they are
 * declared here, the same either way.
 */
export interface AppBindings extends Omit<Env, "ADMIN_TOKEN" | "ALLOW_LOCAL_WEBHOOKS"> {
  /** The admin bearer token: `.dev.vars` locally, `wrangler secret put ADMIN_TOKEN` in production. */
  ADMIN_TOKEN?: string;
  /** When set (non-empty), webhooks may target localhost over http, for local use. */
  ALLOW_LOCAL_WEBHOOKS?: string;
}

export type Scope = "admin" | "ingest" | "subscriber";

/** Who is calling, as established by the auth middleware. */
export interface Caller {
  scope: Scope;
  /** Set for subscriber tokens. */
  subscriberId?: string;
  /** Ingest token id, for attribution. */
  tokenId?: string;
}

export interface AppEnv {
  Bindings: AppBindings;
  /** `query`: the route's declared query schema and what it parsed (see routes/openapi.ts). */
  Variables: { caller: Caller; query: { schema: unknown; value: unknown } };
}

export function allowLocalWebhooks(env: AppBindings): boolean {
  const v = env.ALLOW_LOCAL_WEBHOOKS;
  return typeof v === "string" && v !== "" && v !== "0" && v.toLowerCase() !== "false";
}
