/**
 * The subscriber feed: a page of alerts as JSON Feed 1.1, Atom 1.0 or RSS 2.0, with
 * self/next links for cursor paging. Pure string building; XML is escaped and stripped
 * of characters XML 1.0 forbids.
 */

import type { Alert } from "./types.ts";

/** Formats of `GET /v1/feed?format=`. */
export type FeedFormat = "json" | "atom" | "rss";

/** `content-type` of each format. */
export const FEED_CONTENT_TYPES: Readonly<Record<FeedFormat, string>> = {
  json: "application/feed+json; charset=utf-8",
  atom: "application/atom+xml; charset=utf-8",
  rss: "application/rss+xml; charset=utf-8",
};

/** One page of a feed. */
export interface FeedPage {
  /** Alerts of this page, newest first. */
  alerts: readonly Alert[];
  /** Absolute URL of this page (with its query). */
  selfUrl: string;
  /** Absolute URL of the next (older) page, or null on the last page. */
  nextUrl: string | null;
  /** Feed title; default "wirebrief alerts". */
  title?: string;
  /** Human page of the service, used as the feed's home link; default the self URL's origin. */
  homeUrl?: string;
  /** Feed update time when the page is empty (ISO); default the Unix epoch. */
  updated?: string;
}

const DEFAULT_TITLE = "wirebrief alerts";
/** Category scheme marking an alert of a paused watchlist (in the feed, pushed nowhere). */
const STATUS_SCHEME = "https://wirebrief.dev/alert-status";
const EPOCH = "1970-01-01T00:00:00.000Z";

/** Remove characters illegal in XML 1.0 (controls, lone surrogates, U+FFFE/FFFF). */
export function stripXmlIllegal(s: string): string {
  return s.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, "");
}

/** Escape text for XML element content or a quoted attribute, after stripping illegal characters. */
export function escapeXml(s: string): string {
  return stripXmlIllegal(s)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function isoDate(s: string | undefined): string {
  const t = s ? Date.parse(s) : Number.NaN;
  return Number.isFinite(t) ? new Date(t).toISOString() : EPOCH;
}

function rfc822(s: string | undefined): string {
  return new Date(isoDate(s)).toUTCString();
}

function homeOf(page: FeedPage): string {
  if (page.homeUrl) return page.homeUrl;
  try {
    return `${new URL(page.selfUrl).origin}/`;
  } catch {
    return page.selfUrl;
  }
}

function pageUpdated(page: FeedPage): string {
  const first = page.alerts[0];
  return first ? isoDate(first.created_at) : isoDate(page.updated);
}

/** The item's summary as one paragraph. */
function summaryText(a: Alert): string {
  return a.summary.join(" ");
}

/**
 * A readable plain-text body of an alert: summary, the hits per query, and the other
 * outlets that carried the story.
 */
export function alertText(a: Alert): string {
  const lines: string[] = [];
  if (a.summary.length > 0) lines.push(summaryText(a), "");
  lines.push(`Watchlist: ${a.watchlist_name}`);
  for (const m of a.matches) {
    lines.push(`Matched ${m.query}:`);
    for (const h of m.hits) lines.push(`- "${h.text}" in ${h.field}: ${h.snippet}`);
  }
  if (a.also_reported.length > 0) {
    lines.push("", "Also reported:");
    for (const r of a.also_reported) lines.push(`- ${r.title}${r.url ? ` <${r.url}>` : ""}`);
  }
  return lines.join("\n");
}

/** The JSON Feed item extension carrying the machine-readable alert. */
export interface WirebriefExtension {
  subscriber_id: string;
  watchlist_id: string;
  watchlist_name: string;
  article_id: string;
  cluster_id: string;
  status: Alert["status"];
  matches: Alert["matches"];
  also_reported: Alert["also_reported"];
}

/** A JSON Feed 1.1 item as we render it. */
export interface JsonFeedItem {
  id: string;
  url?: string;
  title: string;
  summary: string;
  content_text: string;
  date_published: string;
  language?: string;
  tags: string[];
  _wirebrief: WirebriefExtension;
}

/** A JSON Feed 1.1 document as we render it. */
export interface JsonFeed {
  version: "https://jsonfeed.org/version/1.1";
  title: string;
  home_page_url: string;
  feed_url: string;
  next_url?: string;
  description: string;
  items: JsonFeedItem[];
}

/** Build the JSON Feed 1.1 object of a page (see {@link renderJsonFeed}). */
export function jsonFeed(page: FeedPage): JsonFeed {
  const feed: JsonFeed = {
    version: "https://jsonfeed.org/version/1.1",
    title: page.title ?? DEFAULT_TITLE,
    home_page_url: homeOf(page),
    feed_url: page.selfUrl,
    description: "Articles that matched your wirebrief watchlists, newest first.",
    items: page.alerts.map((a) => {
      const item: JsonFeedItem = {
        id: a.id,
        title: a.title,
        summary: summaryText(a),
        content_text: alertText(a),
        date_published: isoDate(a.created_at),
        tags: [a.watchlist_name],
        _wirebrief: {
          subscriber_id: a.subscriber_id,
          watchlist_id: a.watchlist_id,
          watchlist_name: a.watchlist_name,
          article_id: a.article_id,
          cluster_id: a.cluster_id,
          status: a.status,
          matches: a.matches,
          also_reported: a.also_reported,
        },
      };
      if (a.url) item.url = a.url;
      if (a.lang && a.lang !== "und") item.language = a.lang;
      return item;
    }),
  };
  if (page.nextUrl) feed.next_url = page.nextUrl;
  return feed;
}

/** Render a page as JSON Feed 1.1 (`application/feed+json`); hits in the `_wirebrief` extension. */
export function renderJsonFeed(page: FeedPage): string {
  return JSON.stringify(jsonFeed(page));
}

/** Atom entry ids must be IRIs: the alert id as a URN. */
export function atomEntryId(alertId: string): string {
  return `urn:wirebrief:alert:${encodeURIComponent(alertId)}`;
}

/** Render a page as Atom 1.0 (`application/atom+xml`) with `rel="self"` and `rel="next"` links. */
export function renderAtom(page: FeedPage): string {
  const x = escapeXml;
  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `<id>${x(page.selfUrl)}</id>`,
    `<title type="text">${x(page.title ?? DEFAULT_TITLE)}</title>`,
    `<updated>${pageUpdated(page)}</updated>`,
    "<author><name>wirebrief</name></author>",
    `<link rel="self" type="application/atom+xml" href="${x(page.selfUrl)}"/>`,
    `<link rel="alternate" href="${x(homeOf(page))}"/>`,
  ];
  if (page.nextUrl)
    out.push(`<link rel="next" type="application/atom+xml" href="${x(page.nextUrl)}"/>`);
  out.push("<generator>wirebrief</generator>");
  for (const a of page.alerts) {
    const when = isoDate(a.created_at);
    const lang = a.lang && a.lang !== "und" ? ` xml:lang="${x(a.lang)}"` : "";
    out.push(`<entry${lang}>`);
    out.push(`<id>${x(atomEntryId(a.id))}</id>`);
    out.push(`<title type="text">${x(a.title)}</title>`);
    if (a.url) out.push(`<link rel="alternate" href="${x(a.url)}"/>`);
    out.push(`<published>${when}</published>`, `<updated>${when}</updated>`);
    out.push(`<category term="${x(a.watchlist_name)}"/>`);
    if (a.status === "paused") out.push(`<category scheme="${STATUS_SCHEME}" term="paused"/>`);
    out.push(`<summary type="text">${x(summaryText(a))}</summary>`);
    out.push(`<content type="text">${x(alertText(a))}</content>`);
    out.push("</entry>");
  }
  out.push("</feed>");
  return `${out.join("\n")}\n`;
}

/** Render a page as RSS 2.0 (`application/rss+xml`) with `atom:link` self and next. */
export function renderRss(page: FeedPage): string {
  const x = escapeXml;
  const out: string[] = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">',
    "<channel>",
    `<title>${x(page.title ?? DEFAULT_TITLE)}</title>`,
    `<link>${x(homeOf(page))}</link>`,
    "<description>Articles that matched your wirebrief watchlists, newest first.</description>",
    `<lastBuildDate>${rfc822(pageUpdated(page))}</lastBuildDate>`,
    "<generator>wirebrief</generator>",
    `<atom:link rel="self" type="application/rss+xml" href="${x(page.selfUrl)}"/>`,
  ];
  if (page.nextUrl)
    out.push(`<atom:link rel="next" type="application/rss+xml" href="${x(page.nextUrl)}"/>`);
  for (const a of page.alerts) {
    out.push("<item>");
    out.push(`<title>${x(a.title)}</title>`);
    if (a.url) out.push(`<link>${x(a.url)}</link>`);
    out.push(`<guid isPermaLink="false">${x(a.id)}</guid>`);
    out.push(`<pubDate>${rfc822(a.created_at)}</pubDate>`);
    out.push(`<category>${x(a.watchlist_name)}</category>`);
    if (a.status === "paused") out.push(`<category domain="${STATUS_SCHEME}">paused</category>`);
    out.push(`<description>${x(alertText(a))}</description>`);
    out.push("</item>");
  }
  out.push("</channel>", "</rss>");
  return `${out.join("\n")}\n`;
}

/** Render a page in `format`, with its content type. */
export function renderFeed(
  format: FeedFormat,
  page: FeedPage,
): { body: string; contentType: string } {
  const body =
    format === "atom"
      ? renderAtom(page)
      : format === "rss"
        ? renderRss(page)
        : renderJsonFeed(page);
  return { body, contentType: FEED_CONTENT_TYPES[format] };
}
