/**
 * Microsoft Teams: an Adaptive Card (schema 1.5) as the one attachment of the message
 * envelope that a Teams Workflows webhook ("Send webhook alerts to a channel") accepts:
 * `{ type: "message", attachments: [{ contentType: "application/vnd.microsoft.card.adaptive",
 * contentUrl: null, content: <card> }] }`. Article text goes in `TextRun`s, which Adaptive
 * Cards never read as markdown, so no escaping is needed; Arabic cards set `rtl`.
 */

import { truncate, utf8Length } from "../text-limits.ts";
import type { Alert } from "../types.ts";
import {
  alertView,
  alsoReportedText,
  type Budget,
  countText,
  digestTerms,
  digestViews,
  firstFitting,
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
 * Teams' published limit (learn.microsoft.com, "Microsoft Teams" connector, known issues:
 * "the message size limit is approximately 28 KB" for Workflows posting a card, including
 * all its elements; the incoming-webhook page says the same, 28 KB, and a larger message
 * fails with "Request entity too large"). Adaptive Cards publish no per-field limits. We
 * keep the whole JSON body under {@link TEAMS_LIMITS.bodyBytes} UTF-8 bytes, a margin below
 * 28 KB for what the Workflow adds around it.
 */
export const TEAMS_LIMITS = {
  /** 28 KB as documented. */
  documentedBytes: 28 * 1024,
  /** Our cap on the JSON body we send. */
  bodyBytes: 25_000,
} as const;

/** Adaptive Card schema version we target (Teams renders up to 1.5). */
export const ADAPTIVE_CARD_VERSION = "1.5";

/** `contentType` of an Adaptive Card attachment. */
const ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

/** Action.OpenUrl. */
export interface OpenUrlAction {
  type: "Action.OpenUrl";
  url: string;
  title?: string;
}

/** TextRun (inline of a RichTextBlock): plain text, never markdown. */
export interface TextRun {
  type: "TextRun";
  text: string;
  size?: "small" | "default" | "medium" | "large" | "extraLarge";
  weight?: "lighter" | "default" | "bolder";
  isSubtle?: boolean;
  italic?: boolean;
  color?: "default" | "accent" | "good" | "warning" | "attention";
  selectAction?: OpenUrlAction;
}

/** The card elements we use. */
export type CardElement =
  | { type: "RichTextBlock"; inlines: TextRun[]; spacing?: "small" | "medium"; separator?: boolean }
  | { type: "Container"; items: CardElement[]; separator?: boolean; spacing?: "medium" | "large" };

/** An Adaptive Card 1.5. */
export interface AdaptiveCard {
  $schema: "http://adaptivecards.io/schemas/adaptive-card.json";
  type: "AdaptiveCard";
  version: typeof ADAPTIVE_CARD_VERSION;
  fallbackText: string;
  rtl?: boolean;
  body: CardElement[];
  actions?: OpenUrlAction[];
}

/** The message envelope a Teams Workflows webhook accepts. */
export interface TeamsMessage {
  type: "message";
  attachments: [
    { contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE; contentUrl: null; content: AdaptiveCard },
  ];
}

/** Size of the JSON body in UTF-8 bytes. */
export function teamsBodyBytes(m: TeamsMessage): number {
  return utf8Length(JSON.stringify(m));
}

/** True when the message is within {@link TEAMS_LIMITS}. */
export function teamsFits(m: TeamsMessage): boolean {
  return teamsBodyBytes(m) <= TEAMS_LIMITS.bodyBytes;
}

function run(text: string, extra: Omit<TextRun, "type" | "text"> = {}): TextRun {
  return { type: "TextRun", text, ...extra };
}

function rich(
  inlines: TextRun[],
  extra: { spacing?: "small" | "medium"; separator?: boolean } = {},
): CardElement {
  return { type: "RichTextBlock", inlines, ...extra };
}

function open(url: string, title?: string): OpenUrlAction {
  return title ? { type: "Action.OpenUrl", url, title } : { type: "Action.OpenUrl", url };
}

function titleBlock(v: StoryView, max: number, size: TextRun["size"]): CardElement {
  const t = run(truncate(v.title, max), { size, weight: "bolder", color: "accent" });
  if (v.url) t.selectAction = open(v.url);
  return rich([t]);
}

function metaBlock(v: StoryView): CardElement {
  const text = [watchlistText(v), alsoReportedText(v.alsoReported)].filter(Boolean).join(" · ");
  return rich([run(text, { size: "small", isSubtle: true })], { spacing: "small" });
}

function envelope(card: AdaptiveCard): TeamsMessage {
  return {
    type: "message",
    attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, contentUrl: null, content: card }],
  };
}

function card(
  fallbackText: string,
  body: CardElement[],
  rtl: boolean,
  actions: OpenUrlAction[],
): AdaptiveCard {
  const c: AdaptiveCard = {
    $schema: "http://adaptivecards.io/schemas/adaptive-card.json",
    type: "AdaptiveCard",
    version: ADAPTIVE_CARD_VERSION,
    fallbackText: truncate(fallbackText, 300),
    body,
  };
  if (rtl) c.rtl = true;
  if (actions.length > 0) c.actions = actions;
  return c;
}

/** The card of one alert: linked title, watchlist and outlets, summary, one block per matched query. */
export function teamsAlert(alert: Alert, _opts: RenderOptions = {}): TeamsMessage {
  const v = alertView(alert);
  return firstFitting((b: Budget) => {
    const body: CardElement[] = [titleBlock(v, b.title, "large"), metaBlock(v)];
    if (v.summary) body.push(rich([run(truncate(v.summary, b.summary))], { spacing: "medium" }));
    const hitItems: CardElement[] = [];
    for (const h of v.hits.slice(0, b.terms)) {
      const terms = h.terms.slice(0, 5).map((t) => `“${truncate(t, LABEL_MAX.term)}”`);
      const inlines = [run(truncate(h.query, LABEL_MAX.query), { weight: "bolder" })];
      if (terms.length) inlines.push(run(` — ${terms.join(", ")}`));
      hitItems.push(rich(inlines));
      for (const s of h.snippets.slice(0, b.snippets)) {
        hitItems.push(
          rich([run(`• ${truncate(s, b.snippet)}`, { isSubtle: true })], { spacing: "small" }),
        );
      }
    }
    if (v.hits.length > b.terms)
      hitItems.push(
        rich([run(`…and ${moreQueriesText(v.hits.length - b.terms)}`, { isSubtle: true })]),
      );
    if (hitItems.length > 0)
      body.push({ type: "Container", items: hitItems, separator: true, spacing: "medium" });
    const actions = v.url ? [open(v.url, "Open article")] : [];
    return envelope(card(`wirebrief alert: ${v.title}`, body, v.rtl, actions));
  }, teamsFits);
}

/** The card of a digest: the period, then one container per story. */
export function teamsDigest(digest: Digest, opts: RenderOptions = {}): TeamsMessage {
  const views = digestViews(digest);
  const heading = `wirebrief digest: ${countText(digest)}`;
  // right to left only when every story is
  const rtl = views.length > 0 && views.every((v) => v.rtl);
  return firstFitting((b: Budget) => {
    const shown = views.slice(0, b.stories);
    const body: CardElement[] = [
      rich([run(heading, { size: "large", weight: "bolder" })]),
      rich([run(periodText(digest), { size: "small", isSubtle: true })], { spacing: "small" }),
    ];
    for (const v of shown) {
      const items: CardElement[] = [titleBlock(v, b.title, "medium")];
      if (v.summary)
        items.push(rich([run(truncate(v.summary, b.storySummary))], { spacing: "small" }));
      const terms = digestTerms(v, b).map((t) => `“${truncate(t, LABEL_MAX.term)}”`);
      if (terms.length)
        items.push(
          rich(
            [
              run("Matched: ", { weight: "bolder", size: "small" }),
              run(terms.join(", "), { size: "small" }),
            ],
            { spacing: "small" },
          ),
        );
      items.push(metaBlock(v));
      body.push({ type: "Container", items, separator: true, spacing: "medium" });
    }
    const hidden = views.length - shown.length;
    if (hidden > 0)
      body.push(
        rich(
          [
            run(`${moreStoriesText(hidden)} in your feed`, {
              isSubtle: true,
            }),
          ],
          { separator: true },
        ),
      );
    const actions = opts.feedUrl ? [open(opts.feedUrl, "Open feed")] : [];
    return envelope(card(heading, body, rtl, actions));
  }, teamsFits);
}

/** A short card for `POST /v1/channels/:id/test`. */
export function teamsTest(channelName?: string): TeamsMessage {
  const text = testText(channelName && truncate(channelName, 200));
  return envelope(card(text, [rich([run(text)])], false, []));
}
