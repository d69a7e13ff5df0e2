/**
 * Discord: embeds for an "Execute Webhook" call (POST the JSON to
 * `https://discord.com/api/webhooks/{id}/{token}`). Markdown in article text is escaped
 * and `allowed_mentions` is empty, so nothing in an article can ping a channel or a role.
 */

import { truncate } from "../text-limits.ts";
import type { Alert } from "../types.ts";
import {
  alertView,
  alsoReportedText,
  type Budget,
  countText,
  digestTerms,
  digestViews,
  firstFitting,
  fitEscaped,
  LABEL_MAX,
  moreQueriesText,
  moreStoriesText,
  periodText,
  type RenderOptions,
  type StoryView,
  testText,
  watchlistText,
} from "./common.ts";
import type { Digest } from "./types.ts";

/**
 * Discord's published limits (discord.com/developers/docs, "Message Resource > Embed
 * Limits" and "Webhook Resource > Execute Webhook"): up to 10 embeds a message; title
 * 256 characters; description 4096; up to 25 fields; field name 256, value 1024; footer
 * text 2048; author name 256; at most 6000 characters in all titles, descriptions, field
 * names and values, footers and author names of all embeds together; `content` 2000.
 */
export const DISCORD_LIMITS = {
  embeds: 10,
  title: 256,
  description: 4096,
  fields: 25,
  fieldName: 256,
  fieldValue: 1024,
  footerText: 2048,
  authorName: 256,
  total: 6000,
  content: 2000,
} as const;

/** Embed colour (wirebrief blue). */
const COLOR = 0x1f6feb;

/** An embed field. */
export interface DiscordField {
  name: string;
  value: string;
  inline?: boolean;
}

/** The embed properties we use. */
export interface DiscordEmbed {
  title: string;
  url?: string;
  description?: string;
  color: number;
  fields?: DiscordField[];
  footer?: { text: string };
  timestamp?: string;
}

/** An Execute Webhook body. */
export interface DiscordMessage {
  content?: string;
  embeds: DiscordEmbed[];
  allowed_mentions: { parse: never[] };
}

/**
 * Escape Discord markdown with backslashes: emphasis, code, spoilers, links, the `<` of
 * mention syntax, and heading or list markers at the start of a line.
 */
export function escapeDiscord(s: string): string {
  return s.replace(/[\\*_~`|<>[\]()]/g, (c) => `\\${c}`).replace(/^([#-])/gm, "\\$1");
}

function clip(raw: string, max: number): string {
  return fitEscaped(raw, max, escapeDiscord);
}

/** Characters that count toward the 6000 total of a message. */
export function discordTotalLength(m: DiscordMessage): number {
  let n = 0;
  for (const e of m.embeds) {
    n += e.title.length + (e.description?.length ?? 0) + (e.footer?.text.length ?? 0);
    for (const f of e.fields ?? []) n += f.name.length + f.value.length;
  }
  return n;
}

/** True when the message is within {@link DISCORD_LIMITS}. */
export function discordFits(m: DiscordMessage): boolean {
  if (m.embeds.length > DISCORD_LIMITS.embeds) return false;
  if ((m.content?.length ?? 0) > DISCORD_LIMITS.content) return false;
  for (const e of m.embeds) {
    if (e.title.length > DISCORD_LIMITS.title) return false;
    if ((e.description?.length ?? 0) > DISCORD_LIMITS.description) return false;
    if ((e.footer?.text.length ?? 0) > DISCORD_LIMITS.footerText) return false;
    const fields = e.fields ?? [];
    if (fields.length > DISCORD_LIMITS.fields) return false;
    for (const f of fields) {
      if (f.name.length === 0 || f.name.length > DISCORD_LIMITS.fieldName) return false;
      if (f.value.length === 0 || f.value.length > DISCORD_LIMITS.fieldValue) return false;
    }
  }
  return discordTotalLength(m) <= DISCORD_LIMITS.total;
}

function isoOrUndefined(s: string): string | undefined {
  const t = Date.parse(s);
  return Number.isFinite(t) ? new Date(t).toISOString() : undefined;
}

function embedBase(v: StoryView, titleMax: number): DiscordEmbed {
  const e: DiscordEmbed = {
    title: clip(v.title, Math.min(titleMax, DISCORD_LIMITS.title)),
    color: COLOR,
  };
  if (v.url) e.url = v.url;
  return e;
}

/** The embed message of one alert: summary as description, one field per matched query. */
export function discordAlert(alert: Alert, _opts: RenderOptions = {}): DiscordMessage {
  const v = alertView(alert);
  return firstFitting((b: Budget) => {
    const e = embedBase(v, b.title);
    if (v.summary) e.description = clip(v.summary, Math.min(b.summary, DISCORD_LIMITS.description));
    const fields: DiscordField[] = [];
    // leave room for the "also reported" field and the "more queries" note
    for (const h of v.hits.slice(0, Math.min(b.terms, DISCORD_LIMITS.fields - 2))) {
      const terms = h.terms.slice(0, 5).map((t) => `“${t}”`);
      const name = clip(
        `${truncate(h.query, LABEL_MAX.query)}${terms.length ? ` — ${terms.join(", ")}` : ""}`,
        DISCORD_LIMITS.fieldName,
      );
      // share the 1024 of a field value between the snippets shown
      const shown = h.snippets.slice(0, b.snippets);
      const each = Math.min(
        b.snippet,
        Math.floor(DISCORD_LIMITS.fieldValue / Math.max(1, shown.length)) - 3,
      );
      const value = shown.map((s) => `• ${clip(s, each)}`).join("\n");
      fields.push({ name, value: value || "—" });
    }
    if (v.hits.length > b.terms)
      fields.push({ name: "More", value: moreQueriesText(v.hits.length - b.terms) });
    if (v.alsoReported > 0)
      fields.push({ name: "Also reported", value: alsoReportedText(v.alsoReported), inline: true });
    if (fields.length > 0) e.fields = fields;
    e.footer = { text: clip(watchlistText(v), DISCORD_LIMITS.footerText) };
    const ts = isoOrUndefined(v.createdAt);
    if (ts) e.timestamp = ts;
    return { embeds: [e], allowed_mentions: { parse: [] } };
  }, discordFits);
}

/** The message of a digest: the period in `content`, one embed per story (at most 10). */
export function discordDigest(digest: Digest, opts: RenderOptions = {}): DiscordMessage {
  const views = digestViews(digest);
  return firstFitting((b: Budget) => {
    const shown = views.slice(0, Math.min(b.stories, DISCORD_LIMITS.embeds));
    const embeds = shown.map((v) => {
      const e = embedBase(v, b.title);
      const terms = digestTerms(v, b).map((t) => `“${clip(t, LABEL_MAX.term)}”`);
      const lines = [
        v.summary ? clip(v.summary, b.storySummary) : "",
        terms.length ? `**Matched:** ${terms.join(", ")}` : "",
        clip(alsoReportedText(v.alsoReported), 100),
      ].filter(Boolean);
      if (lines.length > 0) e.description = lines.join("\n");
      e.footer = { text: clip(watchlistText(v), DISCORD_LIMITS.footerText) };
      return e;
    });
    const hidden = views.length - shown.length;
    let content = `**wirebrief digest: ${countText(digest)}**\n${clip(periodText(digest), 300)}`;
    if (hidden > 0) {
      content += `\n${moreStoriesText(hidden)} in ${opts.feedUrl ? `<${opts.feedUrl}>` : "your feed"}`;
    }
    return {
      content: truncate(content, DISCORD_LIMITS.content),
      embeds,
      allowed_mentions: { parse: [] },
    };
  }, discordFits);
}

/** A short message for `POST /v1/channels/:id/test`. */
export function discordTest(channelName?: string): DiscordMessage {
  const text = testText(channelName);
  return {
    content: clip(text, DISCORD_LIMITS.content),
    embeds: [],
    allowed_mentions: { parse: [] },
  };
}
