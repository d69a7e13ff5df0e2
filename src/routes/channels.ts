import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { ChannelType } from "../alerts/channels/index.ts";
import { testDeliveryAnswer } from "../alerts/deliver.ts";
import { generateWebhookSecret } from "../alerts/signing.ts";
import { checkChannelUrl, redactChannelUrl } from "../alerts/url-safety.ts";
import { type AppBindings, type AppEnv, allowLocalWebhooks } from "../env.ts";
import { ApiError } from "../errors.ts";
import type { ChannelInfo } from "../records.ts";
import {
  AdminQuery,
  Channel,
  ChannelInput,
  ChannelPatch,
  MAX_CHANNELS,
  TestDeliveryResult,
} from "../schemas.ts";
import { SubscriberStore } from "../store/subscribers.ts";
import { readJson, validate } from "../validate.ts";
import { declaredQuery, declareRoute, IdParam } from "./openapi.ts";
import { ownSubscriber } from "./subscriber-scope.ts";
import { saveSubscriber } from "./subscribers.ts";

export const channels = new OpenAPIHono<AppEnv>();

/** The public view: chat URLs carry their platform's secret, so they are shown redacted. */
function publicChannel(ch: ChannelInfo): ChannelInfo {
  return { ...ch, url: redactChannelUrl(ch.type, ch.url) };
}

/** The URL, normalised, when it may be a channel of `type`; 422 naming `url` otherwise. */
function channelUrl(env: AppBindings, type: ChannelType, url: string): string {
  const check = checkChannelUrl(type, url, { allowLocal: allowLocalWebhooks(env) });
  if (!check.ok) {
    throw new ApiError("unsafe_webhook_url", `url rejected: ${check.reason}`, [
      { field: "url", message: check.reason },
    ]);
  }
  return check.url.toString();
}

const notFound = (id: string) => new ApiError("not_found", `no channel ${id}`);

/** The subscriber of a `/:id` route (admins name it with `?subscriber_id=`) and the channel. */
async function owned(c: Parameters<typeof ownSubscriber>[0], id: string) {
  const { id: owner, stub } = await ownSubscriber(c, c.req.query("subscriber_id"));
  const channel = await stub.channel(id);
  // Another subscriber's channel is simply not in this one's object: 404 either way.
  if (!channel) throw notFound(id);
  return { owner, stub, channel };
}

/** Changes the subscriber's `webhook_url` (its primary channel) in KV and in its object. */
async function setWebhookUrl(env: AppBindings, owner: string, url: string | null) {
  const record = await new SubscriberStore(env.KV).get(owner);
  if (!record) throw new ApiError("not_found", "no such subscriber");
  record.webhook_url = url;
  record.updated_at = new Date().toISOString();
  await saveSubscriber(env, record, url !== null);
}

const Created = Channel.extend({
  secret: z
    .string()
    .optional()
    .openapi({ description: "webhook channels: the whsec_ signing secret, shown once" }),
});

declareRoute(channels, "post", "/", {
  summary: `Add a channel: webhook, slack, discord or teams (at most ${MAX_CHANNELS} per subscriber)`,
  tag: "channels",
  scopes: ["subscriber", "admin"],
  owner: "named",
  body: { schema: ChannelInput },
  ok: {
    status: 201,
    schema: Created,
    description: "Created; a webhook channel's secret is shown once",
  },
  errors: [400, 404, 415, 422],
});
channels.post("/", async (c) => {
  const input = validate(ChannelInput, await readJson(c));
  const { stub } = await ownSubscriber(c, input.subscriber_id);
  const url = channelUrl(c.env, input.type, input.url);
  const secret = input.type === "webhook" ? generateWebhookSecret() : null;
  const out = await stub.addChannel({ type: input.type, name: input.name ?? null, url, secret });
  if (!out.ok) {
    if (out.reason === "no_subscriber") throw new ApiError("not_found", "no such subscriber");
    throw new ApiError(
      "quota_exceeded",
      `a subscriber has at most ${MAX_CHANNELS} channels; remove one first`,
      [{ field: "type", message: `at most ${MAX_CHANNELS} channels` }],
    );
  }
  c.header("location", `/v1/channels/${out.channel.id}`);
  return c.json({ ...publicChannel(out.channel), ...(secret ? { secret } : {}) }, 201);
});

declareRoute(channels, "get", "/", {
  summary: "The subscriber's channels (the webhook_url one first, marked primary)",
  tag: "channels",
  scopes: ["subscriber", "admin"],
  owner: "named",
  query: AdminQuery,
  ok: { status: 200, schema: z.object({ items: z.array(Channel) }), description: "Channels" },
  errors: [404, 422],
});
channels.get("/", async (c) => {
  const q = declaredQuery(c, AdminQuery);
  const { stub } = await ownSubscriber(c, q.subscriber_id);
  return c.json({ items: (await stub.channels()).map(publicChannel) });
});

declareRoute(channels, "get", "/{id}", {
  summary: "One channel",
  tag: "channels",
  scopes: ["subscriber", "admin"],
  owner: "named",
  params: IdParam,
  query: AdminQuery,
  ok: { status: 200, schema: Channel, description: "The channel" },
  errors: [404, 422],
});
channels.get("/:id", async (c) => {
  const { channel } = await owned(c, c.req.param("id"));
  return c.json(publicChannel(channel));
});

declareRoute(channels, "patch", "/{id}", {
  summary:
    "Rename a channel or change its URL (setting the URL re-enables a disabled channel; the primary channel's URL is the subscriber's webhook_url)",
  tag: "channels",
  scopes: ["subscriber", "admin"],
  owner: "named",
  params: IdParam,
  query: AdminQuery,
  body: { schema: ChannelPatch },
  ok: { status: 200, schema: Channel, description: "Updated" },
  errors: [400, 404, 415, 422],
});
channels.patch("/:id", async (c) => {
  const patch = validate(ChannelPatch, await readJson(c));
  const { owner, stub, channel } = await owned(c, c.req.param("id"));
  const url = patch.url === undefined ? undefined : channelUrl(c.env, channel.type, patch.url);
  if (channel.primary && url !== undefined) await setWebhookUrl(c.env, owner, url);
  const updated = await stub.updateChannel(channel.id, {
    ...(patch.name !== undefined ? { name: patch.name } : {}),
    ...(url !== undefined && !channel.primary ? { url } : {}),
  });
  if (!updated) throw notFound(channel.id);
  return c.json(publicChannel(updated));
});

declareRoute(channels, "delete", "/{id}", {
  summary:
    "Remove a channel; its pending messages fail. Removing the primary channel clears webhook_url",
  tag: "channels",
  scopes: ["subscriber", "admin"],
  owner: "named",
  params: IdParam,
  query: AdminQuery,
  ok: { status: 204, description: "Removed" },
  errors: [404, 422],
});
channels.delete("/:id", async (c) => {
  const { owner, stub, channel } = await owned(c, c.req.param("id"));
  if (channel.primary) await setWebhookUrl(c.env, owner, null);
  else await stub.removeChannel(channel.id);
  return c.body(null, 204);
});

declareRoute(channels, "post", "/{id}/test", {
  summary:
    "Send a test message (a signed ping for webhook channels) and report what the endpoint answered",
  tag: "channels",
  scopes: ["subscriber", "admin"],
  owner: "named",
  params: IdParam,
  query: AdminQuery,
  ok: {
    status: 200,
    schema: TestDeliveryResult,
    description: "What the endpoint answered (also in the delivery log)",
  },
  errors: [404, 422],
});
channels.post("/:id/test", async (c) => {
  const { stub, channel } = await owned(c, c.req.param("id"));
  const result = await stub.testChannel(channel.id);
  if (!result) throw notFound(channel.id);
  return c.json(testDeliveryAnswer(result));
});
