import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compileWatchIndex,
  MAX_HITS_PER_QUERY,
  MAX_HITS_PER_SUBSCRIBER,
  MAX_WORK_PER_SUBSCRIBER,
  matchDocument,
  matchQueries,
  matchSteps,
  parseQuery,
  type WatchlistSpec,
} from "../../../src/watch/index.ts";
import { doc, fixture, propertyQueries, propertyText, withinHitBudget } from "./helpers.ts";

const seed = fixture("seed-ar-xinhua.txt");
const zh = fixture("watch/zh-belarus-visit.txt");
const en = fixture("watch/en-belarus-park.txt");

describe("compileWatchIndex / matchDocument", () => {
  const lists: WatchlistSpec[] = [
    { id: "w-ar", subscriberId: "s1", queries: ["الصين AND لوكاشينكو"], langs: ["ar"] },
    { id: "w-zh", subscriberId: "s1", queries: ["白俄罗斯", "lukashenko"], langs: ["zh"] },
    {
      id: "w-any",
      subscriberId: "s2",
      queries: ["lukashenko OR لوكاشينكو OR 卢卡申科", "football"],
    },
    { id: "w-src", subscriberId: "s3", queries: ["lukashenko"], sources: ["xinhuanet.com"] },
    { id: "w-bad", subscriberId: "s4", queries: ["(broken", "minsk"] },
    {
      id: "w-neg",
      subscriberId: "s5",
      queries: ["-football"],
      langs: ["en"],
      sources: ["example.org"],
    },
  ];
  const index = compileWatchIndex(lists);

  it("skips invalid queries and reports them", () => {
    expect(index.queryCount).toBe(7); // distinct valid query strings ("lukashenko" twice)
    expect(index.invalid).toEqual([
      {
        watchlistId: "w-bad",
        query: "(broken",
        message: "unbalanced '(': missing ')'",
        position: 0,
      },
    ]);
  });

  it("filters by langs (a primary tag covers regional tags)", () => {
    const ar = matchDocument(index, doc(seed, "", "ar"));
    expect(ar.map((m) => [m.watchlistId, m.subscriberId, m.matches.map((q) => q.query)])).toEqual([
      ["w-ar", "s1", ["الصين AND لوكاشينكو"]],
      ["w-any", "s2", ["lukashenko OR لوكاشينكو OR 卢卡申科"]],
    ]);
    // The same text labelled as English: the Arabic-only watchlist is filtered out.
    expect(matchDocument(index, doc(seed, "", "en")).map((m) => m.watchlistId)).toEqual(["w-any"]);
    const z = matchDocument(index, doc(zh, "", "zh-CN"));
    expect(z.map((m) => [m.watchlistId, m.matches.map((q) => q.query)])).toEqual([
      ["w-zh", ["白俄罗斯"]],
      ["w-any", ["lukashenko OR لوكاشينكو OR 卢卡申科"]],
    ]);
  });

  it("filters by sources: the source domain or the URL host, subdomains included", () => {
    const ids = (extra: { source?: string | null; url?: string | null }) =>
      matchDocument(index, doc(en, "", "en", extra)).map((m) => m.watchlistId);
    expect(ids({})).toEqual(["w-any", "w-bad"]);
    expect(ids({ url: "https://english.xinhuanet.com/2021/03/02/x.htm" })).toEqual([
      "w-any",
      "w-src",
      "w-bad",
    ]);
    expect(ids({ source: "xinhuanet.com" })).toEqual(["w-any", "w-src", "w-bad"]);
    expect(ids({ source: "https://www.xinhuanet.com" })).toEqual(["w-any", "w-src", "w-bad"]);
    expect(ids({ url: "https://notxinhuanet.com/x" })).toEqual(["w-any", "w-bad"]);
    expect(ids({ url: "https://xinhuanet.com.evil.example/x" })).toEqual(["w-any", "w-bad"]);
  });

  it("a purely negative query is a catch-all candidate and still obeys its filters", () => {
    const m = matchDocument(
      index,
      doc("Quiet day in Minsk.", "", "en", { url: "https://news.example.org/a" }),
    );
    expect(m.map((x) => [x.watchlistId, x.matches])).toEqual([
      [
        "w-bad",
        [
          {
            query: "minsk",
            hits: [
              { field: "text", start: 13, end: 18, text: "Minsk", snippet: "Quiet day in Minsk." },
            ],
            total: 1,
          },
        ],
      ],
      ["w-neg", [{ query: "-football", hits: [], total: 0 }]],
    ]);
    expect(
      matchDocument(
        index,
        doc("Football in Minsk.", "", "en", { url: "https://example.org/a" }),
      ).map((x) => x.watchlistId),
    ).toEqual(["w-any", "w-bad"]);
  });

  it("an empty index matches nothing; garbage input does not throw", () => {
    expect(matchDocument(compileWatchIndex([]), doc(en))).toEqual([]);
    expect(() =>
      matchDocument(index, { text: "\uD800 x", title: "", lang: "", sentences: [] }),
    ).not.toThrow();
    expect(matchQueries(["(bad", "x"], doc("\uD800 x"))).toEqual([
      {
        query: "x",
        hits: [{ field: "text", start: 2, end: 3, text: "x", snippet: "\uD800 x" }],
        total: 1,
      },
    ]);
  });
});

// Property: the presearch never loses a match. For random documents and queries over a
// small vocabulary (words, Arabic forms with clitics, CJK, prefixes, phrases,
// proximity, fields, NOT), the index returns exactly what direct verification returns.
describe("output is bounded per subscriber", () => {
  it("a subscriber's hits on one article stop at MAX_HITS_PER_SUBSCRIBER, in watchlist and query order; totals stay exact; others keep theirs", () => {
    const text = Array.from({ length: 120 }, (_, i) => `Minsk and Beijing met, round ${i}.`).join(
      " ",
    );
    const many = ["minsk", "beijing", "met", "round", "and", "minsk OR beijing"];
    const index = compileWatchIndex([
      { id: "a1", subscriberId: "greedy", queries: many.slice(0, 3) },
      { id: "other", subscriberId: "modest", queries: ["beijing"] },
      { id: "a2", subscriberId: "greedy", queries: many.slice(3) },
    ]);
    const out = matchDocument(index, doc(text));
    const greedy = out.filter((m) => m.subscriberId === "greedy").flatMap((m) => m.matches);
    expect(greedy.map((m) => m.query)).toEqual(many);
    expect(greedy.map((m) => m.hits.length)).toEqual([50, 50, 50, 50, 0, 0]);
    expect(greedy.reduce((n, m) => n + m.hits.length, 0)).toBe(MAX_HITS_PER_SUBSCRIBER);
    expect(greedy.map((m) => m.total)).toEqual([120, 120, 120, 120, 120, 240]);
    const modest = out.find((m) => m.subscriberId === "modest");
    expect(modest?.matches[0]?.hits).toHaveLength(MAX_HITS_PER_QUERY);
  });
});

describe("matching work is bounded per subscriber", () => {
  const text = Array.from(
    { length: 400 },
    (_, i) => `Minsk and Beijing met again, round ${i}.`,
  ).join(" ");
  const heavy = Array.from({ length: 6 }, (_, i) => `"minsk beijing round ${i}"~3`);
  const lists: WatchlistSpec[] = [
    { id: "h", subscriberId: "heavy", queries: heavy },
    { id: "l", subscriberId: "light", queries: ['"minsk beijing round 7"~3', "minsk"] },
  ];
  const index = compileWatchIndex(lists);

  it("within the budget every query is evaluated", () => {
    const overBudget: string[] = [];
    const out = matchDocument(index, doc(text), { overBudget });
    expect(overBudget).toEqual([]);
    expect(out.find((m) => m.subscriberId === "heavy")?.matches).toHaveLength(6);
    expect(MAX_WORK_PER_SUBSCRIBER).toBeGreaterThan(10 * 1200);
  });

  it("past it, that subscriber's remaining phrases and proximities are skipped and reported; others keep theirs", () => {
    // each proximity reads its parts' occurrences: 400 + 400 + 400 + 1 or so
    const overBudget: string[] = [];
    const out = matchDocument(index, doc(text), { workPerSubscriber: 2500, overBudget });
    expect(overBudget).toEqual(["heavy"]);
    const got = out.find((m) => m.subscriberId === "heavy")?.matches ?? [];
    expect(got.length).toBe(2);
    for (const m of got) expect(heavy).toContain(m.query);
    expect(out.find((m) => m.subscriberId === "light")?.matches.map((m) => m.query)).toEqual([
      '"minsk beijing round 7"~3',
      "minsk",
    ]);
  });
});

describe("matchSteps: matches in steps may interleave", () => {
  // enough candidates for many steps: every word of both articles, alone and in pairs
  const words = [...new Set(`${en} ${seed}`.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 2))];
  const queries = words.flatMap((w, i) => [w, `"${w} ${words[i + 1] ?? w}"~4`]);
  const lists: WatchlistSpec[] = [];
  for (let i = 0; i < queries.length; i += 50)
    lists.push({ id: `w${i}`, subscriberId: `s${i % 7}`, queries: queries.slice(i, i + 50) });
  const index = compileWatchIndex(lists);
  const docs = [doc(en, "Belarus", "en"), doc(seed, "", "ar"), doc(`${en} ${en}`, "", "en")];

  it("several documents' steps run alternately answer as each alone, and an abandoned match leaves no trace", () => {
    const alone = docs.map((d) => matchDocument(index, d));
    for (const a of alone) expect(a.flatMap((m) => m.matches).length).toBeGreaterThan(100);
    const abandoned = matchSteps(index, docs[2] as (typeof docs)[number], { stepWork: 20 });
    abandoned.next();
    const runs = docs.map((d) => matchSteps(index, d, { stepWork: 20 }));
    const out: unknown[] = new Array(docs.length);
    let steps = 0;
    for (let live = runs.length; live > 0; ) {
      live = 0;
      runs.forEach((r, i) => {
        if (out[i] !== undefined) return;
        const step = r.next();
        steps++;
        if (step.done) out[i] = step.value;
        else live++;
      });
    }
    abandoned.return([]);
    expect(steps).toBeGreaterThan(docs.length * 10); // the matches really ran in many steps
    expect(out).toEqual(alone);
    expect(matchDocument(index, docs[0] as (typeof docs)[number])).toEqual(alone[0]);
  });
});

describe("presearch is complete (property)", () => {
  const q = propertyQueries();
  const text = propertyText();

  it("matchDocument == matchQueries", () => {
    fc.assert(
      fc.property(
        fc.array(q, { minLength: 1, maxLength: 8 }),
        text,
        text,
        (queries, body, title) => {
          const index = compileWatchIndex([{ id: "w", subscriberId: "s", queries }]);
          const d = doc(body, title, "en");
          const viaIndex = matchDocument(index, d).flatMap((m) => m.matches);
          // the same queries' hits, within the one subscriber's budget
          expect(viaIndex).toEqual(withinHitBudget(matchQueries(queries, d), "hits"));
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe("never throws; hits always point at the text they report (property)", () => {
  it("any query string against any text", () => {
    const chars = fc.constantFrom(
      ...'ab Z é\u0301 الصين و ل ب 白俄罗斯 ー ( ) " * ~ - : AND OR NOT title: \n . ؟ \uD800 \u200C ـ'.split(
        " ",
      ),
    );
    const str = fc
      .array(fc.oneof(chars, fc.string({ unit: "binary", maxLength: 3 })), { maxLength: 25 })
      .map((a) => a.join(" "));
    fc.assert(
      fc.property(str, str, str, (q, text, title) => {
        const r = parseQuery(q);
        expect(typeof r.ok).toBe("boolean");
        if (!r.ok) {
          expect(r.error.position).toBeGreaterThanOrEqual(0);
          expect(r.error.position).toBeLessThanOrEqual(q.length);
        }
        const d = doc(text, title, "en");
        for (const m of matchQueries([q], d)) {
          for (const h of m.hits) {
            const field = h.field === "title" ? title : text;
            expect(field.slice(h.start, h.end)).toBe(h.text);
            expect(h.end).toBeGreaterThan(h.start);
            expect(h.snippet).toContain(h.text.trim());
            // a hit inside one short sentence has that sentence as its snippet
            const own = d.sentences.find((s) => s.start <= h.start && h.end <= s.end);
            if (h.field === "text" && own && own.end - own.start <= 320)
              expect(h.snippet).toBe(text.slice(own.start, own.end).trim());
          }
        }
        expect(
          matchDocument(
            compileWatchIndex([{ id: "w", subscriberId: "s", queries: [q] }]),
            d,
          ).flatMap((m) => m.matches),
        ).toEqual(matchQueries([q], d));
      }),
      { numRuns: 500 },
    );
  });
});
