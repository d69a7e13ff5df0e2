import { OpenAPIHono, z } from "@hono/zod-openapi";
import { INSTANT, validateDelivery, validatePausedUntil } from "../alerts/schedule.ts";
import { subscriberInScope } from "../auth.ts";
import { randomId } from "../crypto.ts";
import type { AppBindings, AppEnv, Caller } from "../env.ts";
import { ApiError, type FieldError } from "../errors.ts";
import { subscriberAlerts } from "../objects/subscriber-alerts.ts";
import { watchIndexBuilder, watchlistSpec } from "../objects/watch-index.ts";
import type { WatchlistRecord } from "../records.ts";
import { AdminQuery, Watchlist, WatchlistInput, WatchlistPatch } from "../schemas.ts";
import { WatchlistStore } from "../store/watchlists.ts";
import { readJson, validate } from "../validate.ts";
import { MAX_TERMS_PER_QUERY, parseQuery } from "../watch/index.ts";
import { declaredQuery, declareRoute, IdParam } from "./openapi.ts";
import { ownSubscriber } from "./subscriber-scope.ts";

export const watchlists = new OpenAPIHono<AppEnv>();

/**
 * 422 `invalid_query` with the position of the first error in each bad query, or 422
 * `quota_exceeded` for a query with more terms than a query may have.
 */
function checkQueries(queries: string[]): void {
  const errors: FieldError[] = [];
  const tooLong: FieldError[] = [];
  queries.forEach((q, i) => {
    const parsed = parseQuery(q);
    if (!parsed.ok) {
      errors.push({
        field: `queries.${i}`,
        message: parsed.error.message,
        position: parsed.error.position,
      });
    } else if (parsed.terms > MAX_TERMS_PER_QUERY) {
      tooLong.push({
        field: `queries.${i}`,
        message: `${parsed.terms} terms; a query may have at most ${MAX_TERMS_PER_QUERY}`,
      });
    }
  });
  if (errors.length) {
    const first = errors[0] as FieldError;
    throw new ApiError(
      "invalid_query",
      `${first.field}: ${first.message} at position ${first.position}`,
      errors,
    );
  }
  if (tooLong.length) throw new ApiError("quota_exceeded", "a query has too many terms", tooLong);
}

/**
 * Stores a watchlist: first in the index builder, which checks the subscriber's totals
 * and makes the change live within seconds, then its record in KV.
 */
async function save(env: AppBindings, record: WatchlistRecord): Promise<void> {
  const check = await watchIndexBuilder(env).put(watchlistSpec(record));
  if (!check.ok) {
    throw new ApiError(
      "quota_exceeded",
      check.over
        .map((o) => `${o.quota.replaceAll("_", " ")}: ${o.actual} over the limit of ${o.limit}`)
        .join("; "),
      check.over.map((o) => ({
        field: o.quota === "watchlists" ? "(subscriber)" : "queries",
        message: `${o.quota}: at most ${o.limit} (would be ${o.actual})`,
      })),
    );
  }
  await new WatchlistStore(env.KV).put(record);
}

const lower = (xs: string[] | null | undefined) => (xs ? xs.map((x) => x.toLowerCase()) : null);

/** A watchlist as shown: push settings filled with their defaults (older records lack them). */
function shown(w: WatchlistRecord) {
  return {
    ...w,
    channels: w.channels ?? null,
    delivery: w.delivery ?? INSTANT,
    paused_until: w.paused_until ?? null,
  };
}

interface PushInput {
  channels?: string[] | null | undefined;
  delivery?: unknown;
  paused_until?: string | null | undefined;
}

/**
 * Checks and applies `channels` (ids of the owner's channels), `delivery` and
 * `paused_until`; 422 naming the field (`delivery.timezone`, `channels.0`, …).
 */
async function applyPush(
  env: AppBindings,
  record: WatchlistRecord,
  input: PushInput,
): Promise<void> {
  const errors: FieldError[] = [];
  if (input.delivery !== undefined) {
    const d = validateDelivery(input.delivery);
    if (d.ok) record.delivery = d.value;
    else errors.push(...d.errors);
  }
  if (input.paused_until !== undefined) {
    const p = validatePausedUntil(input.paused_until);
    if (p.ok) record.paused_until = p.value;
    else errors.push(...p.errors);
  }
  if (input.channels !== undefined && input.channels !== null) {
    const known = new Set(
      (await subscriberAlerts(env, record.subscriber_id).channels()).map((ch) => ch.id),
    );
    input.channels.forEach((id, i) => {
      if (!known.has(id)) errors.push({ field: `channels.${i}`, message: `no channel ${id}` });
    });
    record.channels = [...new Set(input.channels)];
  } else if (input.channels === null) {
    record.channels = null;
  }
  if (errors.length) {
    const first = errors[0] as FieldError;
    throw new ApiError("validation_failed", `${first.field}: ${first.message}`, errors);
  }
}

async function findOwned(
  caller: Caller,
  store: WatchlistStore,
  id: string,
): Promise<WatchlistRecord> {
  const record = await store.find(id);
  // Another subscriber's watchlist is reported as missing: ids cannot be probed.
  if (!record || (caller.scope !== "admin" && record.subscriber_id !== caller.subscriberId)) {
    throw new ApiError("not_found", `no watchlist ${id}`);
  }
  return record;
}

declareRoute(watchlists, "post", "/", {
  summary: "Create a watchlist (a subscriber for itself; admin for any subscriber_id)",
  tag: "watchlists",
  scopes: ["subscriber", "admin"],
  owner: "named",
  body: { schema: WatchlistInput },
  ok: { status: 201, schema: Watchlist, description: "Created" },
  errors: [400, 404, 415, 422],
});
watchlists.post("/", async (c) => {
  const input = validate(WatchlistInput, await readJson(c));
  checkQueries(input.queries);
  const { id: owner } = await ownSubscriber(c, input.subscriber_id);
  const now = new Date().toISOString();
  const record: WatchlistRecord = {
    id: randomId("wl"),
    subscriber_id: owner,
    name: input.name,
    queries: input.queries,
    langs: lower(input.langs),
    sources: lower(input.sources),
    channels: null,
    delivery: INSTANT,
    paused_until: null,
    created_at: now,
    updated_at: now,
  };
  await applyPush(c.env, record, input);
  await save(c.env, record);
  c.header("location", `/v1/watchlists/${record.id}`);
  return c.json(shown(record), 201);
});

declareRoute(watchlists, "get", "/", {
  summary: "The caller's watchlists (admin: all, or one subscriber's)",
  tag: "watchlists",
  scopes: ["subscriber", "admin"],
  owner: "named",
  query: AdminQuery,
  ok: { status: 200, schema: z.object({ items: z.array(Watchlist) }), description: "Watchlists" },
});
watchlists.get("/", async (c) => {
  const caller = c.get("caller");
  const q = declaredQuery(c, AdminQuery);
  // Admin without subscriber_id: every watchlist.
  const owner =
    caller.scope === "admin" ? q.subscriber_id : subscriberInScope(caller, q.subscriber_id);
  return c.json({ items: (await new WatchlistStore(c.env.KV).list(owner)).map(shown) });
});

declareRoute(watchlists, "get", "/{id}", {
  summary: "One watchlist",
  tag: "watchlists",
  scopes: ["subscriber", "admin"],
  owner: "named",
  params: IdParam,
  ok: { status: 200, schema: Watchlist, description: "The watchlist" },
  errors: [404],
});
watchlists.get("/:id", async (c) => {
  return c.json(
    shown(await findOwned(c.get("caller"), new WatchlistStore(c.env.KV), c.req.param("id"))),
  );
});

declareRoute(watchlists, "patch", "/{id}", {
  summary: "Change a watchlist",
  tag: "watchlists",
  scopes: ["subscriber", "admin"],
  owner: "named",
  params: IdParam,
  body: { schema: WatchlistPatch },
  ok: { status: 200, schema: Watchlist, description: "Updated" },
  errors: [400, 404, 415, 422],
});
watchlists.patch("/:id", async (c) => {
  const patch = validate(WatchlistPatch, await readJson(c));
  const store = new WatchlistStore(c.env.KV);
  const record = await findOwned(c.get("caller"), store, c.req.param("id"));
  if (patch.queries) checkQueries(patch.queries);
  if (patch.name !== undefined) record.name = patch.name;
  if (patch.queries !== undefined) record.queries = patch.queries;
  if (patch.langs !== undefined) record.langs = lower(patch.langs);
  if (patch.sources !== undefined) record.sources = lower(patch.sources);
  await applyPush(c.env, record, patch);
  record.updated_at = new Date().toISOString();
  await save(c.env, record);
  return c.json(shown(record));
});

declareRoute(watchlists, "delete", "/{id}", {
  summary: "Delete a watchlist",
  tag: "watchlists",
  scopes: ["subscriber", "admin"],
  owner: "named",
  params: IdParam,
  ok: { status: 204, description: "Deleted" },
  errors: [404],
});
watchlists.delete("/:id", async (c) => {
  const store = new WatchlistStore(c.env.KV);
  const record = await findOwned(c.get("caller"), store, c.req.param("id"));
  await store.delete(record.subscriber_id, record.id);
  await watchIndexBuilder(c.env).remove(record.id);
  return c.body(null, 204);
});
