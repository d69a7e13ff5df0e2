/**
 * Slack: a Block Kit message for an incoming webhook (POST the JSON to the
 * `https://hooks.slack.com/services/...` URL). Text is `mrkdwn` with `&`, `<`, `>`
 * escaped, so article text can neither link nor mention anyone.
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
 * Slack's published limits (docs.slack.dev / api.slack.com "Reference: blocks" and
 * "Composition objects"): up to 50 blocks in a message; section `text` at most 3000
 * characters; header `text` (plain_text) at most 150; context at most 10 elements; a text
 * object at most 3000. Messages over 40,000 characters of `text` are truncated
 * ("Formatting text" / chat.postMessage). Slack also rejects block sets whose text adds up
 * to roughly 13,000 characters (`msg_blocks_too_long`, undocumented, seen at ~13,200 in
 * slackapi/bolt-js#2509), so we keep all block text under {@link SLACK_LIMITS.blocksText}.
 */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3000,
  headerText: 150,
  contextElements: 10,
  textObject: 3000,
  /** Our cap on the notification `text` (Slack's own cap is 40,000). */
  messageText: 3000,
  /** Our cap on the sum of all block text (see above). */
  blocksText: 12_000,
} as const;

/** A Block Kit text object. */
export interface SlackText {
  type: "mrkdwn" | "plain_text";
  text: string;
  emoji?: boolean;
}

/** The blocks we use. */
export type SlackBlock =
  | { type: "header"; text: SlackText & { type: "plain_text" } }
  | { type: "section"; text: SlackText }
  | { type: "context"; elements: SlackText[] }
  | { type: "divider" };

/** An incoming-webhook payload. */
export interface SlackMessage {
  /** Notification and fallback text. */
  text: string;
  blocks: SlackBlock[];
  unfurl_links: false;
  unfurl_media: false;
}

/** Escape text for Slack `mrkdwn` (and plain text in messages): `&`, `<`, `>`. */
export function escapeSlack(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A link target safe inside `<url|text>`: `|`, `<`, `>` percent-encoded. */
function slackUrl(url: string): string {
  return url.replace(/\|/g, "%7C").replace(/</g, "%3C").replace(/>/g, "%3E");
}

function clip(raw: string, max: number): string {
  return fitEscaped(raw, max, escapeSlack);
}

function linkedTitle(v: StoryView, max: number): string {
  if (!v.url) return `*${clip(v.title, max)}*`;
  const url = slackUrl(v.url);
  return `*<${url}|${clip(v.title, max)}>*`;
}

function metaLine(v: StoryView): string {
  const parts = [watchlistText(v), alsoReportedText(v.alsoReported)].filter(Boolean);
  return clip(parts.join(" · "), SLACK_LIMITS.textObject);
}

/** One mrkdwn text per matched query (each well under 3000: 100 + 5 × 60 + 3 × 400). */
function hitTexts(v: StoryView, b: Budget): string[] {
  const out: string[] = [];
  for (const h of v.hits.slice(0, b.terms)) {
    const terms = h.terms.slice(0, 5).map((t) => `“${clip(t, LABEL_MAX.term)}”`);
    const lines = [
      `*${clip(h.query, LABEL_MAX.query)}*${terms.length ? ` — ${terms.join(", ")}` : ""}`,
    ];
    for (const s of h.snippets.slice(0, b.snippets)) lines.push(`• ${clip(s, b.snippet)}`);
    out.push(lines.join("\n"));
  }
  if (v.hits.length > b.terms) out.push(`…and ${moreQueriesText(v.hits.length - b.terms)}`);
  return out;
}

/** Sum of all text in the blocks. */
export function slackBlocksTextLength(m: SlackMessage): number {
  let n = 0;
  for (const b of m.blocks) {
    if (b.type === "header" || b.type === "section") n += b.text.text.length;
    else if (b.type === "context") for (const e of b.elements) n += e.text.length;
  }
  return n;
}

/** True when the message is within {@link SLACK_LIMITS}. */
export function slackFits(m: SlackMessage): boolean {
  if (m.blocks.length > SLACK_LIMITS.blocks || m.text.length > SLACK_LIMITS.messageText)
    return false;
  for (const b of m.blocks) {
    if (b.type === "header" && b.text.text.length > SLACK_LIMITS.headerText) return false;
    if (b.type === "section" && b.text.text.length > SLACK_LIMITS.sectionText) return false;
    if (b.type === "context") {
      if (b.elements.length > SLACK_LIMITS.contextElements) return false;
      if (b.elements.some((e) => e.text.length > SLACK_LIMITS.textObject)) return false;
    }
  }
  return slackBlocksTextLength(m) <= SLACK_LIMITS.blocksText;
}

function section(text: string): SlackBlock {
  return { type: "section", text: { type: "mrkdwn", text } };
}

function context(text: string): SlackBlock {
  return { type: "context", elements: [{ type: "mrkdwn", text }] };
}

function message(text: string, blocks: SlackBlock[]): SlackMessage {
  return { text, blocks, unfurl_links: false, unfurl_media: false };
}

/** The Block Kit message of one alert. */
export function slackAlert(alert: Alert, _opts: RenderOptions = {}): SlackMessage {
  const v = alertView(alert);
  return firstFitting((b) => {
    const blocks: SlackBlock[] = [section(linkedTitle(v, b.title)), context(metaLine(v))];
    if (v.summary)
      blocks.push(section(clip(v.summary, Math.min(b.summary, SLACK_LIMITS.sectionText))));
    for (const text of hitTexts(v, b)) blocks.push(section(text));
    return message(clip(`wirebrief alert: ${v.title}`, 300), blocks);
  }, slackFits);
}

function storyText(v: StoryView, b: Budget): string {
  const text = storyLines(v, b);
  // a very long article URL could push the section past 3000: show that title unlinked
  return text.length <= SLACK_LIMITS.sectionText ? text : storyLines({ ...v, url: null }, b);
}

function storyLines(v: StoryView, b: Budget): string {
  const lines = [linkedTitle(v, b.title)];
  if (v.summary) lines.push(clip(v.summary, b.storySummary));
  const terms = digestTerms(v, b).map((t) => `“${clip(t, LABEL_MAX.term)}”`);
  const meta = [
    terms.length ? `_Matched:_ ${terms.join(", ")}` : "",
    clip(alsoReportedText(v.alsoReported), 100),
    clip(watchlistText(v), 500),
  ].filter(Boolean);
  lines.push(meta.join(" · "));
  return lines.join("\n");
}

/** The Block Kit message of a digest: a header, the period, one section per story. */
export function slackDigest(digest: Digest, opts: RenderOptions = {}): SlackMessage {
  const views = digestViews(digest);
  const heading = `wirebrief digest: ${countText(digest)}`;
  return firstFitting((b) => {
    // header, period, stories, and one context line for the stories left out
    const shown = views.slice(0, Math.min(b.stories, SLACK_LIMITS.blocks - 3));
    const blocks: SlackBlock[] = [
      {
        type: "header",
        text: { type: "plain_text", text: truncate(heading, SLACK_LIMITS.headerText) },
      },
      context(clip(periodText(digest), SLACK_LIMITS.textObject)),
    ];
    for (const v of shown) blocks.push(section(storyText(v, b)));
    const hidden = views.length - shown.length;
    if (hidden > 0) {
      const more = moreStoriesText(hidden);
      const url = opts.feedUrl ? ` in <${slackUrl(opts.feedUrl)}|your feed>` : " in your feed";
      blocks.push(context(`${more}${url}`));
    }
    return message(clip(heading, 300), blocks);
  }, slackFits);
}

/** A short message for `POST /v1/channels/:id/test`. */
export function slackTest(channelName?: string): SlackMessage {
  const text = testText(channelName);
  return message(clip(text, 300), [section(clip(text, SLACK_LIMITS.sectionText))]);
}
