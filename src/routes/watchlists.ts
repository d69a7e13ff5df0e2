import { OpenAPIHono, z } from "@hono/zod-openapi";
import { requireScope } from "../auth.ts";
import { randomId } from "../crypto.ts";
import type { AppEnv, Caller } from "../env.ts";
import { ApiError, type FieldError } from "../errors.ts";
import type { WatchlistRecord } from "../records.ts";
import { Watchlist, WatchlistInput, WatchlistPatch } from "../schemas.ts";
import { SubscriberStore } from "../store/subscribers.ts";
import { WatchlistStore } from "../store/watchlists.ts";
import { readJson, validate } from "../validate.ts";
import { parseQuery } from "../watch/index.ts";
import { describeRoute, IdParam } from "./openapi.ts";

export const watchlists = new OpenAPIHono<AppEnv>();
watchlists.use("*", requireScope("subscriber", "admin"));

/** 422 with the position of the first error in each bad query. */
function checkQueries(queries: string[]): void {
  const errors: FieldError[] = [];
  queries.forEach((q, i) => {
    const parsed = parseQuery(q);
    if (!parsed.ok)
      errors.push({
        field: `queries.${i}`,
        message: parsed.error.message,
        position: parsed.error.position,
      });
  });
  if (errors.length) {
    const first = errors[0] as FieldError;
    throw new ApiError(
      "invalid_query",
      `${first.field}: ${first.message} at position ${first.position}`,
      errors,
    );
  }
}

const lower = (xs: string[] | null | undefined) => (xs ? xs.map((x) => x.toLowerCase()) : null);

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

describeRoute(watchlists, "post", "/", {
  summary: "Create a watchlist (a subscriber for itself; admin for any subscriber_id)",
  tag: "watchlists",
  scopes: ["subscriber", "admin"],
  body: { schema: WatchlistInput },
  ok: { status: 201, schema: Watchlist, description: "Created" },
  errors: [400, 404, 415, 422],
});
watchlists.post("/", async (c) => {
  const caller = c.get("caller");
  const input = validate(WatchlistInput, await readJson(c));
  checkQueries(input.queries);
  let owner = caller.subscriberId;
  if (caller.scope === "admin") {
    if (!input.subscriber_id) {
      throw new ApiError("validation_failed", "subscriber_id is required for admin", [
        { field: "subscriber_id", message: "required for admin tokens" },
      ]);
    }
    if (!(await new SubscriberStore(c.env.KV).get(input.subscriber_id))) {
      throw new ApiError("not_found", `no subscriber ${input.subscriber_id}`);
    }
    owner = input.subscriber_id;
  }
  const now = new Date().toISOString();
  const record: WatchlistRecord = {
    id: randomId("wl"),
    subscriber_id: owner as string,
    name: input.name,
    queries: input.queries,
    langs: lower(input.langs),
    sources: lower(input.sources),
    created_at: now,
    updated_at: now,
  };
  await new WatchlistStore(c.env.KV).put(record);
  c.header("location", `/v1/watchlists/${record.id}`);
  return c.json(record, 201);
});

const ListQuery = z.object({ subscriber_id: z.string().max(64).optional() });
describeRoute(watchlists, "get", "/", {
  summary: "The caller's watchlists (admin: all, or one subscriber's)",
  tag: "watchlists",
  scopes: ["subscriber", "admin"],
  query: ListQuery,
  ok: { status: 200, schema: z.object({ items: z.array(Watchlist) }), description: "Watchlists" },
});
watchlists.get("/", async (c) => {
  const caller = c.get("caller");
  const q = validate(ListQuery, c.req.query());
  const owner = caller.scope === "admin" ? q.subscriber_id : caller.subscriberId;
  return c.json({ items: await new WatchlistStore(c.env.KV).list(owner) });
});

describeRoute(watchlists, "get", "/{id}", {
  summary: "One watchlist",
  tag: "watchlists",
  scopes: ["subscriber", "admin"],
  params: IdParam,
  ok: { status: 200, schema: Watchlist, description: "The watchlist" },
  errors: [404],
});
watchlists.get("/:id", async (c) => {
  return c.json(await findOwned(c.get("caller"), new WatchlistStore(c.env.KV), c.req.param("id")));
});

describeRoute(watchlists, "patch", "/{id}", {
  summary: "Change a watchlist",
  tag: "watchlists",
  scopes: ["subscriber", "admin"],
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
  record.updated_at = new Date().toISOString();
  await store.put(record);
  return c.json(record);
});

describeRoute(watchlists, "delete", "/{id}", {
  summary: "Delete a watchlist",
  tag: "watchlists",
  scopes: ["subscriber", "admin"],
  params: IdParam,
  ok: { status: 204, description: "Deleted" },
  errors: [404],
});
watchlists.delete("/:id", async (c) => {
  const store = new WatchlistStore(c.env.KV);
  const record = await findOwned(c.get("caller"), store, c.req.param("id"));
  await store.delete(record.subscriber_id, record.id);
  return c.body(null, 204);
});
