import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compileWatchIndex,
  decodeWatchIndex,
  encodeWatchIndex,
  MAX_HITS_PER_QUERY,
  MAX_HITS_PER_SUBSCRIBER,
  matchDocument,
  matchQueries,
  type QueryMatch,
} from "../../../src/watch/index.ts";
import { doc, withinHitBudget } from "./helpers.ts";
import { naiveMatch } from "./naive.ts";

// Hostile query shapes (every shape the parser accepts, pushed to its limits) on small
// texts made of the same few words, so nearly everything matches and hit lists overflow
// the cap: the fast matcher (direct, through the index, and through a decoded index)
// must answer exactly like the naive evaluator.
const common = ["the", "of", "and", "to", "in", "a", "is", "was", "for", "on"];
const arabic = ["في", "من", "الصين", "والصين", "للصين", "بالصين"];
const cjk = ["中", "国", "白", "俄"];
const word = fc.constantFrom(...common, ...arabic, "belarus");
const text = fc
  .array(fc.oneof(word, fc.constantFrom(...cjk, "\n", ".", "中国", "白俄")), {
    minLength: 0,
    maxLength: 160,
  })
  .map((ws) => ws.join(" "));

const twoLetter = fc.constantFrom("th*", "an*", "of*", "to*", "wa*", "مر*", "ال*", "بال*", "be*");
// parts include a word and its own clitic form (الصين بالصين) and prefixes of other parts
// (th* the): parts that can share a token, each of which must take its own
const phrase = fc
  .tuple(
    fc.array(fc.oneof({ weight: 4, arbitrary: word }, twoLetter), { minLength: 2, maxLength: 40 }),
    fc.integer({ min: 0, max: 1000 }),
  )
  .map(([ws, n]) => `"${ws.join(" ")}"~${n}`);
const exactPhrase = fc
  .array(word, { minLength: 2, maxLength: 12 })
  .map((ws) => `"${ws.join(" ")}"`);
const cjkProx = fc
  .tuple(
    fc.constantFrom("中国", "白俄", "中", "国白"),
    fc.constantFrom("白俄", "俄", "中国"),
    fc.nat(6),
  )
  .map(([a, b, n]) => `"${a} ${b}"~${n}`);
const term = fc.oneof(
  word,
  twoLetter,
  phrase,
  exactPhrase,
  cjkProx,
  fc.constantFrom(...cjk, "中国"),
);
const manyOrs = fc.array(term, { minLength: 20, maxLength: 99 }).map((ts) => ts.join(" OR "));
// an OR of plain words (verified from their keys, see verifyOrKeys)
const wordOrs = fc
  .array(fc.oneof(word, fc.constantFrom(...cjk)), { minLength: 2, maxLength: 40 })
  .map((ws) => ws.join(" OR "));
const deep = fc
  .tuple(
    fc.array(term, { minLength: 1, maxLength: 30 }),
    fc.array(fc.constantFrom("AND", "OR", "NOT"), { minLength: 30, maxLength: 30 }),
  )
  .map(([ts, ops]) => {
    // nested: (t1 OP (t2 OP (t3 ...)))
    let q = ts[ts.length - 1] as string;
    for (let i = ts.length - 2; i >= 0; i--) q = `(${ts[i]} ${ops[i]} ${q})`;
    return q;
  });
const fielded = fc.tuple(fc.constantFrom("title:", "text:", ""), term).map(([f, t]) => `${f}${t}`);
const negated = fc.tuple(term, term).map(([a, b]) => `${a} -${b}`);
const hostile = fc.oneof(
  phrase,
  twoLetter,
  manyOrs,
  wordOrs,
  deep,
  fielded,
  negated,
  exactPhrase,
  cjkProx,
);

const spans = (ms: QueryMatch[]) =>
  ms.map((m) => ({
    query: m.query,
    spans: m.hits.map((h) => [h.field, h.start, h.end, h.text]),
    total: m.total,
  }));

describe("hostile query shapes agree with the naive evaluator", () => {
  it("direct, indexed and decoded matching", () => {
    fc.assert(
      fc.property(
        fc.array(hostile, { minLength: 1, maxLength: 6 }),
        fc.boolean(),
        text,
        text,
        (qs, repeat, body, title) => {
          // a subscriber whose every query is the same
          const queries = repeat ? [...qs, ...qs, qs[0] as string] : qs;
          const d = doc(body, title, "en");
          const expected = naiveMatch(queries, d);
          expect(spans(matchQueries(queries, d))).toEqual(expected);
          const lists = [
            { id: "a", subscriberId: "s", queries },
            { id: "b", subscriberId: "s", queries: [...queries].reverse() },
          ];
          const index = compileWatchIndex(lists);
          const viaIndex = matchDocument(index, d);
          const byList = (ms: typeof viaIndex, id: string) =>
            spans(ms.find((m) => m.watchlistId === id)?.matches ?? []);
          // a query listed twice in a watchlist is reported twice, as matchQueries does;
          // both watchlists are one subscriber's, so their hits share its budget (a, then b)
          const budget = { left: MAX_HITS_PER_SUBSCRIBER };
          expect(byList(viaIndex, "a")).toEqual(withinHitBudget(expected, "spans", budget));
          expect(byList(viaIndex, "b")).toEqual(
            withinHitBudget(naiveMatch([...queries].reverse(), d), "spans", budget),
          );
          expect(matchDocument(decodeWatchIndex(encodeWatchIndex(index)), d)).toEqual(viaIndex);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("proximity on longer texts: only near the rarest part, jump-started, dense or not", () => {
    // 1,500 words where some parts are rare and the slop is small, so windows are local
    const vocab = [...common, ...arabic, "belarus", "minsk", "th", "this", "that"];
    const longText = fc
      .array(
        fc.oneof(
          { weight: 60, arbitrary: fc.constantFrom(...common) },
          { weight: 20, arbitrary: fc.constantFrom(...arabic, "th", "this", "that") },
          { weight: 1, arbitrary: fc.constantFrom("belarus", "minsk") },
        ),
        { minLength: 1500, maxLength: 1500 },
      )
      .map((ws) => ws.join(" "));
    const part = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...vocab) }, twoLetter);
    const prox = fc
      .tuple(fc.array(part, { minLength: 2, maxLength: 8 }), fc.nat(40))
      .map(([ws, n]) => `"${ws.join(" ")}"~${n}`);
    fc.assert(
      fc.property(fc.array(prox, { minLength: 1, maxLength: 4 }), longText, (qs, body) => {
        const d = doc(body, "", "en", { sentences: [{ start: 0, end: body.length }] });
        expect(spans(matchQueries(qs, d))).toEqual(naiveMatch(qs, d));
      }),
      { numRuns: 40 },
    );
  });

  it("a proximity of a word and its own clitic form", () => {
    // بالصين is also indexed as الصين: each part must take a token of its own
    const d = doc("للصين بالصين");
    expect(matchQueries(['"الصين بالصين"~2'], d)[0]?.hits.map((h) => h.text)).toEqual([
      "للصين",
      "بالصين",
    ]);
  });

  it("hits stop at the cap; total counts them all (proximity: at least the cap)", () => {
    const body = Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? "the" : "of")).join(" ");
    const all = matchQueries(["the", "the OR of", '"the of"~1000'], doc(body));
    expect(all.map((x) => [x.hits.length, x.total])).toEqual([
      [MAX_HITS_PER_QUERY, 100],
      [MAX_HITS_PER_QUERY, 300],
      [MAX_HITS_PER_QUERY, MAX_HITS_PER_QUERY],
    ]);
    // the first 50 hits are the text's first 50 words either way
    expect(all[2]?.hits).toEqual(all[1]?.hits);
  });

  it("a 40-word proximity over a 200,000-token text of those words stops at the cap", () => {
    const words = common.concat(["be", "at", "it", "as", "by"]);
    const body = Array.from({ length: 200_000 }, (_, i) => words[(i * 7) % words.length]).join(" ");
    const d = doc(body, "", "en", { sentences: [{ start: 0, end: body.length }] });
    const q = `"${Array.from({ length: 40 }, (_, i) => words[i % words.length]).join(" ")}"~1000`;
    // the old per-occurrence sort took tens of seconds here (bench/watch.ts times it)
    const m = matchQueries([q], d);
    expect(m[0]?.hits).toHaveLength(MAX_HITS_PER_QUERY);
    expect(m[0]?.hits[0]?.start).toBe(0);
  });

  it("a proximity with one rare part reads only around it, and finds exactly its window", () => {
    const words: string[] = Array.from({ length: 200_000 }, (_, i) => (i % 2 === 0 ? "the" : "of"));
    words[100_001] = "belarus";
    const body = words.join(" ");
    const d = doc(body, "", "en", { sentences: [{ start: 0, end: body.length }] });
    const [m] = matchQueries(['"belarus the"~0', '"belarus the of"~1'], d);
    const at = (i: number) => body.split(" ", i).join(" ").length + (i > 0 ? 1 : 0);
    // 100,000 "the" before "belarus" at word 100,001 is word 100,000; the next is 100,002
    expect(m?.hits.map((h) => [h.start, h.text])).toEqual([
      [at(100_000), "the"],
      [at(100_001), "belarus"],
      [at(100_002), "the"],
    ]);
    expect(m?.total).toBe(3);
  });
});
