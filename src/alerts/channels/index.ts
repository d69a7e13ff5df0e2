/**
 * Channels: where a subscriber's alerts are pushed. One entry point per message kind,
 * dispatching on the channel type; every renderer is pure (an Alert or a Digest in, a
 * JSON body out). See README.md beside this file for how to add a channel type.
 */

import { buildWebhookBody, type WebhookEvent } from "../deliver.ts";
import type { Alert } from "../types.ts";
import type { RenderOptions } from "./common.ts";
import { discordAlert, discordDigest, discordTest } from "./discord.ts";
import { slackAlert, slackDigest, slackTest } from "./slack.ts";
import { teamsAlert, teamsDigest, teamsTest } from "./teams.ts";
import type { ChannelType, Digest } from "./types.ts";

export type { RenderOptions } from "./common.ts";
export {
  buildDigest,
  CHANNEL_TYPES,
  type ChannelType,
  type Digest,
  type DigestStory,
  digestId,
  groupByStory,
  isChannelType,
} from "./types.ts";

/** A rendered message: POST `body` as `application/json` to the channel URL. */
export interface ChannelMessage {
  body: string;
  contentType: "application/json";
  /**
   * True for `webhook` channels: send through `deliverWebhook` (Standard Webhooks headers,
   * signature over this exact body). Chat platforms take the body unsigned: the secret is
   * in their URL.
   */
  signed: boolean;
}

function json(value: unknown): ChannelMessage {
  return { body: JSON.stringify(value), contentType: "application/json", signed: false };
}

/** A webhook channel's Standard Webhooks body (signed when sent). */
function signed(event: WebhookEvent, at = new Date()): ChannelMessage {
  return { body: buildWebhookBody(event, at), contentType: "application/json", signed: true };
}

/** Render one alert for a channel. `at` is the webhook `timestamp` (webhook channels only). */
export function renderAlert(
  type: ChannelType,
  alert: Alert,
  opts: RenderOptions & { at?: Date } = {},
): ChannelMessage {
  switch (type) {
    case "webhook":
      return signed({ type: "alert.created", data: alert }, opts.at);
    case "slack":
      return json(slackAlert(alert, opts));
    case "discord":
      return json(discordAlert(alert, opts));
    case "teams":
      return json(teamsAlert(alert, opts));
  }
}

/** Render a digest for a channel (`digest.created` for webhook channels). */
export function renderDigest(
  type: ChannelType,
  digest: Digest,
  opts: RenderOptions & { at?: Date } = {},
): ChannelMessage {
  switch (type) {
    case "webhook":
      return signed({ type: "digest.created", data: digest }, opts.at);
    case "slack":
      return json(slackDigest(digest, opts));
    case "discord":
      return json(discordDigest(digest, opts));
    case "teams":
      return json(teamsDigest(digest, opts));
  }
}

/**
 * The test message of `POST /v1/channels/:id/test` for a chat channel. Webhook channels
 * send the existing `ping` event (`pingEvent` in ../deliver.ts) instead: null here.
 */
export function renderTest(type: ChannelType, channelName?: string): ChannelMessage | null {
  switch (type) {
    case "webhook":
      return null;
    case "slack":
      return json(slackTest(channelName));
    case "discord":
      return json(discordTest(channelName));
    case "teams":
      return json(teamsTest(channelName));
  }
}
