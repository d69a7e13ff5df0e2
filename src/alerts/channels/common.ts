/**
 * The content every chat message carries, independent of platform: the story's title and
 * link, summary, matched terms with snippets, the watchlists, how many other outlets
 * carried it. Renderers format and size it for their platform.
 */

import { cleanText, truncate } from "../text-limits.ts";
import type { Alert } from "../types.ts";
import type { Digest, DigestStory } from "./types.ts";

/** Options shared by the chat renderers. */
export interface RenderOptions {
  /** A link to the subscriber's feed, shown when a digest lists fewer stories than it has. */
  feedUrl?: string;
}

/** One matched term: the query, the words it hit, and the sentences around them. */
export interface TermHit {
  query: string;
  /** Distinct matched words, in order of first appearance. */
  terms: string[];
  /** Distinct snippets, in order. */
  snippets: string[];
}

/** A story as the renderers show it. */
export interface StoryView {
  title: string;
  /** http(s) link to the article, or null. */
  url: string | null;
  summary: string;
  lang: string;
  rtl: boolean;
  watchlists: string[];
  hits: TermHit[];
  /** How many other outlets also reported it (`also_reported.length`, the largest over the alerts). */
  alsoReported: number;
  createdAt: string;
}

/** Languages written right to left (ISO 639-1 / -3 codes the detector may give). */
const RTL = new Set([
  "ar",
  "fa",
  "he",
  "ur",
  "ps",
  "yi",
  "ug",
  "sd",
  "dv",
  "ckb",
  "ara",
  "heb",
  "fas",
]);

/** True when `lang` is written right to left. */
export function isRtl(lang: string): boolean {
  return RTL.has(lang.toLowerCase().split(/[-_]/)[0] ?? "");
}

/** Longest article URL that becomes a link (the title is shown unlinked past it). */
export const MAX_LINK_LENGTH = 2000;

/** Only http(s) URLs of at most {@link MAX_LINK_LENGTH} characters become links in a message. */
export function safeLink(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    if (u.href.length > MAX_LINK_LENGTH) return null;
    return u.protocol === "https:" || u.protocol === "http:" ? u.href : null;
  } catch {
    return null;
  }
}

function oneLine(s: string): string {
  return cleanText(s).replace(/\s+/g, " ").trim();
}

/** The matches of several alerts merged by query, each term and snippet once. */
export function mergeHits(alerts: readonly Alert[]): TermHit[] {
  const byQuery = new Map<string, TermHit>();
  for (const a of alerts) {
    for (const m of a.matches) {
      const query = oneLine(m.query);
      let th = byQuery.get(query);
      if (!th) {
        th = { query, terms: [], snippets: [] };
        byQuery.set(query, th);
      }
      for (const h of m.hits) {
        const term = oneLine(h.text);
        const snippet = oneLine(h.snippet);
        if (term && !th.terms.includes(term)) th.terms.push(term);
        if (snippet && !th.snippets.includes(snippet)) th.snippets.push(snippet);
      }
    }
  }
  return [...byQuery.values()];
}

/** The view of one alert. */
export function alertView(a: Alert): StoryView {
  return storyView([a]);
}

/** The view of a story (its alerts oldest first; the first one gives title, link and summary). */
export function storyView(alerts: readonly Alert[]): StoryView {
  const first = alerts[0];
  if (!first) throw new Error("a story has at least one alert");
  const watchlists: string[] = [];
  for (const a of alerts) {
    const w = oneLine(a.watchlist_name);
    if (w && !watchlists.includes(w)) watchlists.push(w);
  }
  const title = oneLine(first.title) || "(untitled)";
  return {
    title,
    url: safeLink(first.url),
    summary: oneLine(first.summary.join(" ")),
    lang: first.lang,
    rtl: isRtl(first.lang),
    watchlists,
    // a snippet that is the title itself says nothing the title above it does not
    hits: mergeHits(alerts).map((h) => ({ ...h, snippets: h.snippets.filter((x) => x !== title) })),
    alsoReported: Math.max(...alerts.map((a) => a.also_reported.length)),
    createdAt: first.created_at,
  };
}

/** The views of a digest's stories (a story without alerts is skipped). */
export function digestViews(d: Digest): StoryView[] {
  return d.stories.filter((s: DigestStory) => s.alerts.length > 0).map((s) => storyView(s.alerts));
}

/** Most matched words a digest entry lists. */
export const DIGEST_TERMS = 8;

/** The matched words a digest entry shows: up to 3 per query, {@link DIGEST_TERMS} in all, each once. */
export function digestTerms(v: StoryView, b: Budget): string[] {
  const out: string[] = [];
  for (const h of v.hits.slice(0, b.terms)) {
    for (const t of h.terms.slice(0, 3)) if (!out.includes(t)) out.push(t);
  }
  return out.slice(0, DIGEST_TERMS);
}

/** "Also reported by 3 other outlets", or "" when none. */
export function alsoReportedText(n: number): string {
  if (n <= 0) return "";
  return n === 1 ? "Also reported by 1 other outlet" : `Also reported by ${n} other outlets`;
}

/** "Watchlist: A" / "Watchlists: A, B", the story's first few, each name shortened. */
export function watchlistText(v: StoryView): string {
  const names = v.watchlists
    .slice(0, LABEL_MAX.watchlists)
    .map((w) => truncate(w, LABEL_MAX.watchlist));
  return `${names.length === 1 ? "Watchlist" : "Watchlists"}: ${names.join(", ")}`;
}

const MODE_LABEL: Record<Digest["mode"], string> = {
  hourly: "Hourly",
  daily: "Daily",
  weekly: "Weekly",
};

/** A human label of the digest period in its time zone, e.g. "Daily digest, 1 Dec, 09:00 – 2 Dec, 09:00 (Europe/London)". */
export function periodText(d: Digest): string {
  const fmt = (iso: string) => {
    const t = Date.parse(iso);
    if (!Number.isFinite(t)) return iso;
    try {
      return new Intl.DateTimeFormat("en-GB", {
        timeZone: d.timezone,
        day: "numeric",
        month: "short",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23",
      }).format(t);
    } catch {
      return new Date(t).toISOString();
    }
  };
  return `${MODE_LABEL[d.mode]} digest, ${fmt(d.period_start)} – ${fmt(d.period_end)} (${d.timezone})`;
}

/** "2 more matched queries". */
export function moreQueriesText(n: number): string {
  return `${n} more matched queries`;
}

/** "…and 3 more stories". */
export function moreStoriesText(n: number): string {
  return `…and ${n} more ${n === 1 ? "story" : "stories"}`;
}

/** The text of a channel's test message. */
export function testText(channelName?: string): string {
  return `wirebrief test message: this channel${channelName ? ` (${channelName})` : ""} will receive alerts.`;
}

/** "3 stories, 5 alerts". */
export function countText(d: Digest): string {
  const s = d.stories.length;
  const a = d.alert_count;
  return `${s} ${s === 1 ? "story" : "stories"}, ${a} ${a === 1 ? "alert" : "alerts"}`;
}

/**
 * Fit `raw` into `max` characters after `escape` (which may lengthen it): truncate the raw
 * text cleanly until its escaped form fits. Escaping after cutting keeps entities whole.
 */
export function fitEscaped(raw: string, max: number, esc: (s: string) => string): string {
  let room = max;
  for (let i = 0; i < 24 && room > 0; i++) {
    const out = esc(truncate(raw, room));
    if (out.length <= max) return out;
    room = Math.min(room - 1, Math.floor((room * max) / out.length));
  }
  return "";
}

/**
 * How much of each part a message shows. Renderers try the levels in order and send the
 * first rendering that is within the platform's limits; the last level fits any input.
 */
export interface Budget {
  title: number;
  summary: number;
  /** Matched queries shown. */
  terms: number;
  /** Snippets shown per query. */
  snippets: number;
  snippet: number;
  /** Stories shown in a digest, and the summary length of each. */
  stories: number;
  storySummary: number;
}

/** Budgets from generous to terse. */
export const BUDGETS: readonly Budget[] = [
  {
    title: 256,
    summary: 3000,
    terms: 10,
    snippets: 3,
    snippet: 400,
    stories: 20,
    storySummary: 500,
  },
  {
    title: 200,
    summary: 1500,
    terms: 6,
    snippets: 2,
    snippet: 250,
    stories: 15,
    storySummary: 280,
  },
  { title: 160, summary: 700, terms: 4, snippets: 1, snippet: 180, stories: 10, storySummary: 180 },
  { title: 120, summary: 300, terms: 3, snippets: 1, snippet: 120, stories: 8, storySummary: 100 },
  { title: 100, summary: 160, terms: 2, snippets: 1, snippet: 80, stories: 5, storySummary: 60 },
];

/** Fixed caps on short labels (queries, matched words, watchlist names). */
export const LABEL_MAX = { query: 100, term: 60, watchlist: 80, watchlists: 5 } as const;

/** Render with each budget in turn; the first result `fits` accepts wins, else the tersest. */
export function firstFitting<T>(render: (b: Budget) => T, fits: (m: T) => boolean): T {
  let last: T | undefined;
  for (const b of BUDGETS) {
    last = render(b);
    if (fits(last)) return last;
  }
  return last as T;
}
