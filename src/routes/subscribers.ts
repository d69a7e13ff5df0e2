import { OpenAPIHono, z } from "@hono/zod-openapi";
import { generateWebhookSecret, SECRET_ROTATION_OVERLAP_MS } from "../alerts/signing.ts";
import { checkWebhookUrl } from "../alerts/url-safety.ts";
import { assertSubscriberAccess, requireScope } from "../auth.ts";
import { newToken, randomId, sha256Hex } from "../crypto.ts";
import { sendTestPing } from "../delivery/ping.ts";
import { type AppBindings, type AppEnv, allowLocalWebhooks } from "../env.ts";
import { ApiError } from "../errors.ts";
import { Subscriber, SubscriberInput, SubscriberPatch } from "../schemas.ts";
import { publicSubscriber, type SubscriberRecord, SubscriberStore } from "../store/subscribers.ts";
import { TokenStore } from "../store/tokens.ts";
import { WatchlistStore } from "../store/watchlists.ts";
import { readJson, validate } from "../validate.ts";
import { describeRoute, IdParam } from "./openapi.ts";

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

const Created = Subscriber.extend({
  token: z.string().openapi({ description: "The subscriber's bearer token, shown once" }),
  webhook_secret: z.string().openapi({ description: "The whsec_ signing secret, shown once" }),
});

describeRoute(subscribers, "post", "/", {
  summary: "Create a subscriber (returns its token and signing secret once)",
  tag: "subscribers",
  scopes: ["admin"],
  body: { schema: SubscriberInput },
  ok: { status: 201, schema: Created, description: "Created" },
  errors: [400, 415, 422],
});
subscribers.post("/", requireScope("admin"), async (c) => {
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
    webhook_status: webhookUrl ? "active" : "none",
    webhook_disabled_reason: null,
    failing_since: null,
    token_hash: await sha256Hex(token),
    secret,
    previous_secret: null,
    previous_secret_expires_at: null,
    created_at: now,
    updated_at: now,
  };
  await new SubscriberStore(c.env.KV).put(record);
  await new TokenStore(c.env.KV).grant(record.token_hash, { scope: "subscriber", id: record.id });
  c.header("location", `/v1/subscribers/${record.id}`);
  return c.json({ ...publicSubscriber(record), token, webhook_secret: secret }, 201);
});

const ListQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).optional(),
  cursor: z.string().max(1024).optional(),
});
describeRoute(subscribers, "get", "/", {
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
subscribers.get("/", requireScope("admin"), async (c) => {
  const q = validate(ListQuery, c.req.query());
  const page = await new SubscriberStore(c.env.KV).list(q.limit ?? 100, q.cursor);
  return c.json({ items: page.items.map(publicSubscriber), next_cursor: page.cursor });
});

describeRoute(subscribers, "get", "/{id}", {
  summary: "One subscriber",
  tag: "subscribers",
  scopes: ["admin", "subscriber (self)"],
  params: IdParam,
  ok: { status: 200, schema: Subscriber, description: "The subscriber" },
  errors: [404],
});
subscribers.get("/:id", requireScope("admin", "subscriber"), async (c) => {
  assertSubscriberAccess(c.get("caller"), c.req.param("id"));
  return c.json(publicSubscriber(await load(c.env, c.req.param("id"))));
});

describeRoute(subscribers, "patch", "/{id}", {
  summary: "Change a subscriber's name, email or webhook URL (a new URL re-enables delivery)",
  tag: "subscribers",
  scopes: ["admin"],
  params: IdParam,
  body: { schema: SubscriberPatch },
  ok: { status: 200, schema: Subscriber, description: "Updated" },
  errors: [400, 404, 415, 422],
});
subscribers.patch("/:id", requireScope("admin"), async (c) => {
  const patch = validate(SubscriberPatch, await readJson(c));
  const record = await load(c.env, c.req.param("id"));
  if (patch.name !== undefined) record.name = patch.name;
  if (patch.email !== undefined) record.email = patch.email;
  if (patch.webhook_url !== undefined) {
    record.webhook_url = safeWebhookUrl(c.env, patch.webhook_url);
    record.webhook_status = record.webhook_url ? "active" : "none";
    record.webhook_disabled_reason = null;
    record.failing_since = null;
  }
  record.updated_at = new Date().toISOString();
  await new SubscriberStore(c.env.KV).put(record);
  return c.json(publicSubscriber(record));
});

describeRoute(subscribers, "delete", "/{id}", {
  summary: "Delete a subscriber, its token and its watchlists",
  tag: "subscribers",
  scopes: ["admin"],
  params: IdParam,
  ok: { status: 204, description: "Deleted" },
  errors: [404],
});
subscribers.delete("/:id", requireScope("admin"), async (c) => {
  const record = await load(c.env, c.req.param("id"));
  await new TokenStore(c.env.KV).revokeHash(record.token_hash);
  await new WatchlistStore(c.env.KV).deleteAllOf(record.id);
  await new SubscriberStore(c.env.KV).delete(record.id);
  return c.body(null, 204);
});

describeRoute(subscribers, "post", "/{id}/rotate-secret", {
  summary: "New signing secret; the old one keeps signing for 24 hours",
  tag: "subscribers",
  scopes: ["admin", "subscriber (self)"],
  params: IdParam,
  ok: {
    status: 200,
    schema: z.object({ webhook_secret: z.string(), previous_secret_expires_at: z.string() }),
    description: "The new secret, shown once",
  },
  errors: [404],
});
subscribers.post("/:id/rotate-secret", requireScope("admin", "subscriber"), async (c) => {
  assertSubscriberAccess(c.get("caller"), c.req.param("id"));
  const record = await load(c.env, c.req.param("id"));
  const expires = new Date(Date.now() + SECRET_ROTATION_OVERLAP_MS).toISOString();
  record.previous_secret = record.secret;
  record.previous_secret_expires_at = expires;
  record.secret = generateWebhookSecret();
  record.updated_at = new Date().toISOString();
  await new SubscriberStore(c.env.KV).put(record);
  return c.json({ webhook_secret: record.secret, previous_secret_expires_at: expires });
});

describeRoute(subscribers, "post", "/{id}/test", {
  summary: "Send a signed ping to the webhook and report the result",
  tag: "subscribers",
  scopes: ["admin", "subscriber (self)"],
  params: IdParam,
  ok: {
    status: 200,
    schema: z.object({
      ok: z.boolean(),
      status: z.number().int().nullable(),
      latency_ms: z.number(),
      error: z.string().nullable(),
    }),
    description: "What the endpoint answered",
  },
  errors: [404, 422],
});
subscribers.post("/:id/test", requireScope("admin", "subscriber"), async (c) => {
  assertSubscriberAccess(c.get("caller"), c.req.param("id"));
  const record = await load(c.env, c.req.param("id"));
  if (!record.webhook_url) {
    throw new ApiError("validation_failed", "this subscriber has no webhook_url", [
      { field: "webhook_url", message: "not set" },
    ]);
  }
  return c.json(await sendTestPing(c.env, record));
});
