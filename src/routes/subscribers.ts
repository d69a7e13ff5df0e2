import { OpenAPIHono, z } from "@hono/zod-openapi";
import { testDeliveryAnswer } from "../alerts/deliver.ts";
import { generateWebhookSecret, SECRET_ROTATION_OVERLAP_MS } from "../alerts/signing.ts";
import { checkWebhookUrl } from "../alerts/url-safety.ts";
import { assertSubscriberAccess } from "../auth.ts";
import { newToken, randomId, sha256Hex } from "../crypto.ts";
import { type AppBindings, type AppEnv, allowLocalWebhooks } from "../env.ts";
import { ApiError } from "../errors.ts";
import { type EndpointConfig, subscriberAlerts } from "../objects/subscriber-alerts.ts";
import { watchIndexBuilder } from "../objects/watch-index.ts";
import { decodeCursor, pageOf, pageQuery } from "../paging.ts";
import type { SubscriberRecord } from "../records.ts";
import { Subscriber, SubscriberInput, SubscriberPatch, TestDeliveryResult } from "../schemas.ts";
import { FeedKeyStore } from "../store/feed-keys.ts";
import { publicSubscriber, SubscriberStore } from "../store/subscribers.ts";
import { TokenStore } from "../store/tokens.ts";
import { WatchlistStore } from "../store/watchlists.ts";
import { readJson, validate } from "../validate.ts";
import { declaredQuery, declareRoute, IdParam } from "./openapi.ts";

export const subscribers = new OpenAPIHono<AppEnv>();

function safeWebhookUrl(env: AppBindings, url: string | null | undefined): string | null {
  if (url === null || url === undefined) return null;
  const check = checkWebhookUrl(url, { allowLocal: allowLocalWebhooks(env) });
  if (!check.ok) {
    throw new ApiError("unsafe_webhook_url", `webhook_url rejected: ${check.reason}`, [
      { field: "webhook_url", message: check.reason },
    ]);
  }
  return check.url.toString();
}

async function load(env: AppBindings, id: string): Promise<SubscriberRecord> {
  const record = await new SubscriberStore(env.KV).get(id);
  if (!record) throw new ApiError("not_found", `no subscriber ${id}`);
  return record;
}

/** The delivery settings its object signs and sends with. */
function endpointConfig(s: SubscriberRecord): EndpointConfig {
  return {
    subscriber_id: s.id,
    webhook_url: s.webhook_url,
    secret: s.secret,
    previous_secret: s.previous_secret ?? null,
    previous_secret_expires_at: s.previous_secret_expires_at ?? null,
  };
}

/**
 * Writes the configuration to the subscriber's object first (it delivers with it), then
 * to KV, and answers with the public view and its delivery health. `reset`: the webhook
 * URL was set again, which re-enables a disabled endpoint even when unchanged.
 */
export async function saveSubscriber(env: AppBindings, record: SubscriberRecord, reset = false) {
  const health = await subscriberAlerts(env, record.id).configure(endpointConfig(record), reset);
  await new SubscriberStore(env.KV).put(record);
  return publicSubscriber(record, health);
}

async function view(env: AppBindings, record: SubscriberRecord) {
  return publicSubscriber(record, await subscriberAlerts(env, record.id).health());
}

const Created = Subscriber.extend({
  token: z.string().openapi({ description: "The subscriber's bearer token, shown once" }),
  webhook_secret: z.string().openapi({ description: "The whsec_ signing secret, shown once" }),
});

declareRoute(subscribers, "post", "/", {
  summary: "Create a subscriber (returns its token and signing secret once)",
  tag: "subscribers",
  scopes: ["admin"],
  body: { schema: SubscriberInput },
  ok: { status: 201, schema: Created, description: "Created" },
  errors: [400, 415, 422],
});
subscribers.post("/", async (c) => {
  const input = validate(SubscriberInput, await readJson(c));
  const webhookUrl = safeWebhookUrl(c.env, input.webhook_url);
  const token = newToken("wb_sub");
  const secret = generateWebhookSecret();
  const now = new Date().toISOString();
  const record: SubscriberRecord = {
    id: randomId("sub"),
    name: input.name,
    email: input.email ?? null,
    webhook_url: webhookUrl,
    token_hash: await sha256Hex(token),
    secret,
    previous_secret: null,
    previous_secret_expires_at: null,
    created_at: now,
    updated_at: now,
  };
  const shown = await saveSubscriber(c.env, record);
  await new TokenStore(c.env.KV).grant(record.token_hash, { scope: "subscriber", id: record.id });
  c.header("location", `/v1/subscribers/${record.id}`);
  return c.json({ ...shown, token, webhook_secret: secret }, 201);
});

const ListQuery = z.object(pageQuery(100));
const ListCursor = z.strictObject({ kv: z.string().min(1).max(1024) });
declareRoute(subscribers, "get", "/", {
  summary: "List subscribers",
  tag: "subscribers",
  scopes: ["admin"],
  query: ListQuery,
  ok: {
    status: 200,
    schema: z.object({ items: z.array(Subscriber), next_cursor: z.string().nullable() }),
    description: "A page of subscribers",
  },
  errors: [422],
});
subscribers.get("/", async (c) => {
  const q = declaredQuery(c, ListQuery);
  const after = decodeCursor(q.cursor, ListCursor)?.kv;
  const page = await new SubscriberStore(c.env.KV).list(q.limit ?? 50, after);
  const items = await Promise.all(page.items.map((s) => view(c.env, s)));
  return c.json(pageOf(items, page.cursor ? { kv: page.cursor } : null));
});

declareRoute(subscribers, "get", "/{id}", {
  summary: "One subscriber",
  tag: "subscribers",
  scopes: ["admin", "subscriber"],
  owner: "named",
  params: IdParam,
  ok: { status: 200, schema: Subscriber, description: "The subscriber" },
  errors: [404],
});
subscribers.get("/:id", async (c) => {
  assertSubscriberAccess(c.get("caller"), c.req.param("id"));
  return c.json(await view(c.env, await load(c.env, c.req.param("id"))));
});

declareRoute(subscribers, "patch", "/{id}", {
  summary: "Change a subscriber's name, email or webhook URL (a new URL re-enables delivery)",
  tag: "subscribers",
  scopes: ["admin"],
  params: IdParam,
  body: { schema: SubscriberPatch },
  ok: { status: 200, schema: Subscriber, description: "Updated" },
  errors: [400, 404, 415, 422],
});
subscribers.patch("/:id", async (c) => {
  const patch = validate(SubscriberPatch, await readJson(c));
  const record = await load(c.env, c.req.param("id"));
  if (patch.name !== undefined) record.name = patch.name;
  if (patch.email !== undefined) record.email = patch.email;
  if (patch.webhook_url !== undefined) {
    record.webhook_url = safeWebhookUrl(c.env, patch.webhook_url);
  }
  record.updated_at = new Date().toISOString();
  // Setting the URL again (even unchanged) re-enables a disabled endpoint.
  return c.json(await saveSubscriber(c.env, record, patch.webhook_url !== undefined));
});

declareRoute(subscribers, "delete", "/{id}", {
  summary: "Delete a subscriber, its token, watchlists, feed keys and channels",
  tag: "subscribers",
  scopes: ["admin"],
  params: IdParam,
  ok: { status: 204, description: "Deleted" },
  errors: [404],
});
subscribers.delete("/:id", async (c) => {
  const record = await load(c.env, c.req.param("id"));
  await new TokenStore(c.env.KV).revokeHash(record.token_hash);
  await new WatchlistStore(c.env.KV).deleteAllOf(record.id);
  await watchIndexBuilder(c.env).removeSubscriber(record.id);
  await new FeedKeyStore(c.env.KV).deleteAllOf(record.id);
  await new SubscriberStore(c.env.KV).delete(record.id);
  await subscriberAlerts(c.env, record.id).remove();
  return c.body(null, 204);
});

declareRoute(subscribers, "post", "/{id}/rotate-secret", {
  summary: "New signing secret; the old one keeps signing for 24 hours",
  tag: "subscribers",
  scopes: ["admin", "subscriber"],
  owner: "named",
  params: IdParam,
  ok: {
    status: 200,
    schema: z.object({ webhook_secret: z.string(), previous_secret_expires_at: z.string() }),
    description: "The new secret, shown once",
  },
  errors: [404],
});
subscribers.post("/:id/rotate-secret", async (c) => {
  assertSubscriberAccess(c.get("caller"), c.req.param("id"));
  const record = await load(c.env, c.req.param("id"));
  const expires = new Date(Date.now() + SECRET_ROTATION_OVERLAP_MS).toISOString();
  record.previous_secret = record.secret;
  record.previous_secret_expires_at = expires;
  record.secret = generateWebhookSecret();
  record.updated_at = new Date().toISOString();
  await saveSubscriber(c.env, record);
  return c.json({ webhook_secret: record.secret, previous_secret_expires_at: expires });
});

declareRoute(subscribers, "post", "/{id}/test", {
  summary: "Send a signed ping to the webhook and report the result",
  tag: "subscribers",
  scopes: ["admin", "subscriber"],
  owner: "named",
  params: IdParam,
  ok: {
    status: 200,
    schema: TestDeliveryResult,
    description: "What the endpoint answered",
  },
  errors: [404, 422],
});
subscribers.post("/:id/test", async (c) => {
  assertSubscriberAccess(c.get("caller"), c.req.param("id"));
  const record = await load(c.env, c.req.param("id"));
  if (!record.webhook_url) {
    throw new ApiError("validation_failed", "this subscriber has no webhook_url", [
      { field: "webhook_url", message: "not set" },
    ]);
  }
  const result = await subscriberAlerts(c.env, record.id).ping();
  if (!result) throw new ApiError("validation_failed", "this subscriber has no webhook_url");
  return c.json(testDeliveryAnswer(result));
});
