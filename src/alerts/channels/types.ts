/**
 * Channel types and the digest shape shared by every renderer. Pure types and small
 * helpers; no Hono, Cloudflare or store imports.
 */

import { sha256Hex } from "../../crypto.ts";
import type { DeliveryMode } from "../schedule.ts";
import type { Alert } from "../types.ts";

/** Where alerts can be pushed (SPEC "Channels, digests, pause"). */
export const CHANNEL_TYPES = ["webhook", "slack", "discord", "teams"] as const;

/** One of {@link CHANNEL_TYPES}. */
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** True when `s` names a channel type. */
export function isChannelType(s: unknown): s is ChannelType {
  return typeof s === "string" && (CHANNEL_TYPES as readonly string[]).includes(s);
}

/** Digest delivery modes (instant alerts are not digests). */
export type DigestMode = Exclude<DeliveryMode, "instant">;

/** One story of a digest: the alerts of one cluster in the period, oldest first. */
export interface DigestStory {
  cluster_id: string;
  alerts: Alert[];
}

/** What {@link buildDigest} needs besides the alerts. */
export interface DigestHeader {
  /** Stable id (the `webhook-id` of every retry), e.g. `dig_` + hash of channel and period. */
  id: string;
  subscriber_id: string;
  mode: DigestMode;
  /** IANA time zone the period is computed in. */
  timezone: string;
  /** Period start (inclusive) and end (exclusive), ISO UTC. */
  period_start: string;
  period_end: string;
}

/**
 * A digest: one period's alerts for one subscriber and channel, grouped by story. This is
 * the `data` of a `digest.created` webhook and the input of the chat renderers.
 */
export interface Digest extends DigestHeader {
  /** Alerts in the period, over all stories. */
  alert_count: number;
  /** Stories, newest first (by their latest alert). */
  stories: DigestStory[];
}

function time(a: Alert): number {
  const t = Date.parse(a.created_at);
  return Number.isFinite(t) ? t : 0;
}

/**
 * Group alerts by story (`cluster_id`): alerts inside a story oldest first, stories newest
 * first by their latest alert. Duplicate alert ids are kept once.
 */
export function groupByStory(alerts: readonly Alert[]): DigestStory[] {
  const byCluster = new Map<string, Alert[]>();
  const seen = new Set<string>();
  for (const a of alerts) {
    if (seen.has(a.id)) continue;
    seen.add(a.id);
    const key = a.cluster_id || a.article_id;
    const list = byCluster.get(key);
    if (list) list.push(a);
    else byCluster.set(key, [a]);
  }
  const stories = [...byCluster].map(([cluster_id, list]) => ({
    cluster_id,
    alerts: [...list].sort((x, y) => time(x) - time(y) || x.id.localeCompare(y.id)),
  }));
  const latest = (s: DigestStory) => Math.max(...s.alerts.map(time));
  return stories.sort((x, y) => latest(y) - latest(x) || x.cluster_id.localeCompare(y.cluster_id));
}

/** The digest of a period, or null when the period has no alert (an empty period sends nothing). */
export function buildDigest(header: DigestHeader, alerts: readonly Alert[]): Digest | null {
  const stories = groupByStory(alerts);
  if (stories.length === 0) return null;
  const alert_count = stories.reduce((n, s) => n + s.alerts.length, 0);
  return { ...header, alert_count, stories };
}

/**
 * The id of the digest of one channel and period (`periodKey` of ../schedule.ts): the same
 * on every retry and after a restart, so it can be the `webhook-id` and a storage key.
 */
export async function digestId(channelId: string, periodKey: string): Promise<string> {
  return `dig_${(await sha256Hex(`${channelId}\n${periodKey}`)).slice(0, 24)}`;
}
