import { parseFeed } from "@rowanmanning/feed-parser";
import fc from "fast-check";
// fast-xml-parser comes with @rowanmanning/feed-parser; its validator is strict where the feed parser is lenient.
import { XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import {
  alertText,
  atomEntryId,
  escapeXml,
  FEED_CONTENT_TYPES,
  type FeedPage,
  renderAtom,
  renderFeed,
  renderJsonFeed,
  renderRss,
  stripXmlIllegal,
} from "../../../src/alerts/feed.ts";
import type { Alert } from "../../../src/alerts/types.ts";
import { makeAlert } from "./fixtures.ts";

const SELF = "https://wirebrief.example.com/v1/feed?format=atom&limit=2";
const NEXT = "https://wirebrief.example.com/v1/feed?format=atom&limit=2&cursor=abc%3D%3D";

const nasty = makeAlert({
  id: "alt_nasty",
  title: 'Tom & Jerry <script>alert("x")</script> ]]> it\'s الصين',
  summary: ["Control\u0001 chars\u0008 and a lone \uD800 surrogate and \uFFFE.", "Emoji 🇨🇳 stay."],
  url: "https://example.com/a?b=1&c=<2>",
  watchlist_name: "A & B <watch>",
  also_reported: [
    { article_id: "art_9", url: null, title: "CDATA end ]]> & <tags>" },
    { article_id: "art_10", url: "https://example.org/x?y=1&z=2", title: "Second copy" },
  ],
  created_at: "2026-11-27T09:30:00.000Z",
});
const arabic = makeAlert({ id: "alt_ar", created_at: "2026-11-27T10:00:00.000Z" });
const plain = makeAlert({
  id: "alt_en",
  title: "Xi meets Lukashenko",
  lang: "en",
  url: null,
  summary: ["Xi met Lukashenko in Beijing."],
  matches: [
    {
      query: '"xi belarus"~10',
      total: 1,
      hits: [
        { field: "text", start: 0, end: 2, text: "Xi", snippet: "Xi met Lukashenko in Beijing." },
      ],
    },
  ],
  also_reported: [],
  created_at: "2026-11-27T11:00:00.000Z",
});
const page: FeedPage = { alerts: [plain, arabic, nasty], selfUrl: SELF, nextUrl: NEXT };
const clean = (s: string) => stripXmlIllegal(s);

function wellFormed(xml: string) {
  const v = XMLValidator.validate(xml);
  expect(v, JSON.stringify(v)).toBe(true);
  // every code point allowed by XML 1.0 (no C0 controls but tab/LF/CR, no lone surrogates, no U+FFFE/F)
  for (const ch of xml) {
    const cp = ch.codePointAt(0) as number;
    const legal =
      cp === 9 ||
      cp === 10 ||
      cp === 13 ||
      (cp >= 0x20 && cp <= 0xd7ff) ||
      (cp >= 0xe000 && cp <= 0xfffd) ||
      cp >= 0x10000;
    expect(legal, `U+${cp.toString(16)}`).toBe(true);
  }
}

describe("XML escaping", () => {
  it("escapes markup and strips characters XML 1.0 forbids", () => {
    expect(escapeXml(`<a href="x">&'</a>`)).toBe(
      "&lt;a href=&quot;x&quot;&gt;&amp;&apos;&lt;/a&gt;",
    );
    expect(escapeXml("]]>")).toBe("]]&gt;");
    expect(stripXmlIllegal("a\u0000b\u0001c\td\ne\rf\uFFFEg\uFFFFh\uD800i\uDC00j😀k")).toBe(
      "abc\td\ne\rfghij😀k",
    );
    expect(escapeXml("الصين")).toBe("الصين");
  });
});

describe("Atom", () => {
  const xml = renderAtom(page);
  it("is well-formed and parsed by a real feed parser", () => {
    wellFormed(xml);
    const feed = parseFeed(xml);
    expect(feed.meta.type).toBe("atom");
    expect(feed.title).toBe("wirebrief alerts");
    expect(feed.self).toBe(SELF);
    expect(feed.items).toHaveLength(3);
    const [a, b, c] = feed.items;
    expect(a?.id).toBe(atomEntryId("alt_en"));
    expect(a?.title).toBe("Xi meets Lukashenko");
    expect(a?.url).toBeNull();
    expect(a?.published?.toISOString()).toBe("2026-11-27T11:00:00.000Z");
    expect(b?.title).toBe(arabic.title);
    expect(b?.url).toBe(arabic.url);
    expect(c?.id).toBe("urn:wirebrief:alert:alt_nasty");
    expect(c?.title).toBe(clean(nasty.title));
    expect(c?.url).toBe(new URL(nasty.url as string).href); // the parser normalises URLs
    expect(c?.description).toBe(clean(nasty.summary.join(" ")));
    expect(c?.content).toContain("CDATA end ]]> & <tags>");
    expect(c?.content).toContain("Matched الصين:");
    expect(c?.categories.map((x) => x.term)).toEqual(["A & B <watch>"]);
  });
  it("links self and next, escaped", () => {
    expect(xml).toContain(
      '<link rel="next" type="application/atom+xml" href="https://wirebrief.example.com/v1/feed?format=atom&amp;limit=2&amp;cursor=abc%3D%3D"/>',
    );
    expect(renderAtom({ ...page, nextUrl: null })).not.toContain('rel="next"');
    expect(xml).toContain('<entry xml:lang="ar">');
  });
});

describe("RSS 2.0", () => {
  const xml = renderRss(page);
  it("is well-formed and parsed by a real feed parser", () => {
    wellFormed(xml);
    const feed = parseFeed(xml);
    expect(feed.meta.type).toBe("rss");
    expect(feed.meta.version).toBe("2.0");
    expect(feed.self).toBe(SELF);
    expect(feed.url).toBe("https://wirebrief.example.com/");
    expect(feed.items.map((i) => i.id)).toEqual(["alt_en", "alt_ar", "alt_nasty"]);
    const c = feed.items[2];
    expect(c?.title).toBe(clean(nasty.title));
    expect(c?.url).toBe(new URL(nasty.url as string).href);
    expect(c?.published?.toISOString()).toBe("2026-11-27T09:30:00.000Z");
    expect(c?.description).toContain("Also reported:");
    expect(c?.description).toContain("CDATA end ]]> & <tags>");
    expect(c?.description).toContain(`"الصين" in title: ${arabic.matches[0]?.hits[0]?.snippet}`);
    expect(feed.items[1]?.title).toBe("الصين وبيلاروس توقعان اتفاقية");
  });
  it("links self and next with atom:link", () => {
    expect(xml).toContain('xmlns:atom="http://www.w3.org/2005/Atom"');
    expect(xml).toContain(
      '<atom:link rel="next" type="application/rss+xml" href="https://wirebrief.example.com/v1/feed?format=atom&amp;limit=2&amp;cursor=abc%3D%3D"/>',
    );
    expect(renderRss({ ...page, nextUrl: null })).not.toContain('rel="next"');
  });
});

describe("JSON Feed 1.1", () => {
  it("matches the JSON Feed 1.1 shape with the _wirebrief extension", () => {
    const f = JSON.parse(renderJsonFeed(page));
    expect(f.version).toBe("https://jsonfeed.org/version/1.1");
    expect(typeof f.title).toBe("string");
    expect(f.feed_url).toBe(SELF);
    expect(f.next_url).toBe(NEXT);
    expect(f.home_page_url).toBe("https://wirebrief.example.com/");
    expect(Array.isArray(f.items)).toBe(true);
    for (const item of f.items) {
      expect(typeof item.id).toBe("string");
      expect(typeof item.content_text).toBe("string");
      expect(item.date_published).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      if ("url" in item) expect(() => new URL(item.url)).not.toThrow();
      for (const k of Object.keys(item)) {
        expect([
          "id",
          "url",
          "title",
          "summary",
          "content_text",
          "date_published",
          "language",
          "tags",
          "_wirebrief",
        ]).toContain(k);
      }
    }
    const [en, ar, n] = f.items;
    expect(en.url).toBeUndefined();
    expect(en.language).toBe("en");
    expect(ar.language).toBe("ar");
    expect(ar._wirebrief.matches).toEqual(arabic.matches);
    expect(ar._wirebrief.also_reported).toEqual(arabic.also_reported);
    expect(ar._wirebrief).toMatchObject({
      watchlist_id: "wl_1",
      article_id: arabic.article_id,
      cluster_id: "clu_1",
    });
    expect(n.title).toBe(nasty.title);
    expect(n.summary).toBe(nasty.summary.join(" "));
    expect(JSON.parse(renderJsonFeed({ ...page, nextUrl: null })).next_url).toBeUndefined();
  });
});

describe("renderFeed", () => {
  it("returns the right content type per format", () => {
    expect(renderFeed("json", page).contentType).toBe("application/feed+json; charset=utf-8");
    expect(renderFeed("atom", page).contentType).toBe("application/atom+xml; charset=utf-8");
    expect(renderFeed("rss", page).contentType).toBe("application/rss+xml; charset=utf-8");
    expect(FEED_CONTENT_TYPES.json).toMatch(/^application\/feed\+json/);
    expect(renderFeed("atom", page).body).toBe(renderAtom(page));
  });

  it("renders empty pages that still parse", () => {
    const empty = { alerts: [], selfUrl: SELF, nextUrl: null };
    expect(parseFeed(renderAtom(empty)).items).toHaveLength(0);
    expect(parseFeed(renderRss(empty)).items).toHaveLength(0);
    expect(JSON.parse(renderJsonFeed(empty)).items).toEqual([]);
    wellFormed(renderAtom(empty));
    wellFormed(renderRss(empty));
  });

  it("pages of a longer list join back without gaps or repeats in every format", () => {
    const all: Alert[] = Array.from({ length: 23 }, (_, i) =>
      makeAlert({
        id: `alt_${String(i).padStart(3, "0")}`,
        created_at: new Date(Date.UTC(2026, 10, 27, 0, 60 - i)).toISOString(),
      }),
    );
    const pages: FeedPage[] = [];
    for (let i = 0; i < all.length; i += 10) {
      pages.push({
        alerts: all.slice(i, i + 10),
        selfUrl: `https://w.example.com/v1/feed?cursor=${i}`,
        nextUrl: i + 10 < all.length ? `https://w.example.com/v1/feed?cursor=${i + 10}` : null,
      });
    }
    const want = all.map((a) => a.id);
    expect(pages.flatMap((p) => parseFeed(renderRss(p)).items.map((x) => x.id))).toEqual(want);
    expect(pages.flatMap((p) => parseFeed(renderAtom(p)).items.map((x) => x.id))).toEqual(
      want.map(atomEntryId),
    );
    expect(
      pages.flatMap((p) => JSON.parse(renderJsonFeed(p)).items.map((x: { id: string }) => x.id)),
    ).toEqual(want);
  });

  it("any title and summary gives well-formed XML that round-trips (minus illegal characters)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: "binary", minLength: 1 }),
        fc.array(fc.string({ unit: "binary" }), { maxLength: 3 }),
        (title, summary) => {
          const a = makeAlert({ id: "alt_p", title, summary });
          const p = { alerts: [a], selfUrl: SELF, nextUrl: null };
          const atom = renderAtom(p);
          const rss = renderRss(p);
          if (XMLValidator.validate(atom) !== true || XMLValidator.validate(rss) !== true)
            return false;
          const json = JSON.parse(renderJsonFeed(p));
          return (
            json.items[0].title === title &&
            atom.includes(`<title type="text">${escapeXml(title)}</title>`)
          );
        },
      ),
      { numRuns: 200 },
    );
  });

  it("the readable text lists summary, hits and also-reported", () => {
    const t = alertText(arabic);
    expect(t).toContain(arabic.summary.join(" "));
    expect(t).toContain("Watchlist: China & Belarus");
    expect(t).toContain('- "الصين" in text: وقعت الصين وبيلاروس اتفاقية.');
    expect(t).toContain("- Copy & paste <b> <https://example.net/copy>");
  });
});
