import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  compileWatchIndex,
  decodeWatchIndex,
  encodeWatchIndex,
  joinWatchIndex,
  matchDocument,
  splitWatchIndex,
  WATCH_INDEX_CHUNK_BYTES,
  type WatchlistSpec,
} from "../../../src/watch/index.ts";
import { doc, propertyQueries, propertyText } from "./helpers.ts";

const q = propertyQueries(true);
const spec = fc.record({
  queries: fc.array(q, { minLength: 0, maxLength: 6 }),
  langs: fc.option(fc.subarray(["en", "ar", "zh"]), { nil: undefined }),
  sources: fc.option(fc.subarray(["example.com", "xinhuanet.com"]), { nil: undefined }),
});
const specs = fc
  .array(spec, { minLength: 0, maxLength: 6 })
  .map((ss): WatchlistSpec[] =>
    ss.map((s, i) => ({ id: `w${i}`, subscriberId: `s${i % 2}`, ...s })),
  );
const text = propertyText();
const article = fc.record({
  title: text,
  text,
  lang: fc.constantFrom("en", "ar", "zh-CN", ""),
  url: fc.constantFrom("https://news.example.com/a", "https://english.xinhuanet.com/b", null),
});

describe("snapshot: a decoded index answers exactly like a fresh compile (property)", () => {
  it("same matches, hits, totals and snippets for random query sets and documents", () => {
    fc.assert(
      fc.property(specs, fc.array(article, { minLength: 1, maxLength: 3 }), (lists, arts) => {
        const compiled = compileWatchIndex(lists);
        const bytes = encodeWatchIndex(compiled);
        // through chunks too, as KV stores it
        const decoded = decodeWatchIndex(joinWatchIndex(splitWatchIndex(bytes, 97)));
        expect(decoded.queryCount).toBe(compiled.queryCount);
        expect(decoded.watchlistCount).toBe(compiled.watchlistCount);
        expect(decoded.invalid).toEqual(compiled.invalid);
        for (const a of arts) {
          const d = doc(a.text, a.title, a.lang, { url: a.url });
          expect(matchDocument(decoded, d)).toEqual(matchDocument(compiled, d));
        }
        // a decoded index encodes to the same bytes
        expect(Buffer.compare(encodeWatchIndex(decoded), bytes)).toBe(0);
      }),
      { numRuns: 200 },
    );
  }, 30_000);
});

/** Encodes, decodes (through small chunks and from an unaligned view) and checks the index is the same. */
function roundTrip(lists: WatchlistSpec[]) {
  const compiled = compileWatchIndex(lists);
  const bytes = encodeWatchIndex(compiled);
  const decoded = decodeWatchIndex(joinWatchIndex(splitWatchIndex(bytes, 13)));
  const unaligned = new Uint8Array(bytes.length + 1);
  unaligned.set(bytes, 1);
  for (const d of [decoded, decodeWatchIndex(unaligned.subarray(1))]) {
    const { asts, termPool, scratches, ...stored } = d._;
    const { asts: _a, termPool: _t, scratches: _s, ...expected } = compiled._;
    expect(stored).toEqual(expected);
    expect(d.invalid).toEqual(compiled.invalid);
    expect(Buffer.compare(encodeWatchIndex(d), bytes)).toBe(0);
  }
  return { compiled, decoded };
}

describe("snapshot: strings of every kind come back exactly", () => {
  it("an empty index, and watchlists without valid queries", () => {
    expect(roundTrip([]).decoded.queryCount).toBe(0);
    const { decoded } = roundTrip([
      { id: "w", subscriberId: "s", queries: ["(unclosed", ""] },
      { id: "", subscriberId: "", queries: [], langs: ["ar"] },
    ]);
    expect(decoded.invalid.map((i) => i.query)).toEqual(["(unclosed", ""]);
    expect(decoded._.watchlists.map((w) => w.id)).toEqual(["w", ""]);
  });

  it("Arabic, Chinese and non-BMP keys, mixed with ASCII, and shared or repeated strings", () => {
    const lists: WatchlistSpec[] = [
      {
        id: "w-ar",
        subscriberId: "s1",
        queries: ["الصين", "بيلاروسيا OR لوكاشينكو", "belarus", "مينسك*"],
        langs: ["ar", "en"],
        sources: ["arabic.news.cn"],
      },
      {
        id: "w-zh",
        subscriberId: "s1",
        queries: ["白俄罗斯", '"卢卡申科 中国"', "belarus"],
        langs: ["zh"],
      },
      {
        id: "w-𝒳",
        subscriberId: "s2",
        queries: ["café OR naïve", "white*", "belarus", "𠀀𠀁 OR 𝒳𝒴𝒵"],
      },
    ];
    const { compiled, decoded } = roundTrip(lists);
    expect(decoded._.sources).toContain("𠀀𠀁 OR 𝒳𝒴𝒵");
    expect(decoded._.watchlists[2]?.id).toBe("w-𝒳");
    for (const [text, lang, watchlists] of [
      ["白俄罗斯总统卢卡申科会见中国代表团 𠀀𠀁 😀", "zh", ["w-zh", "w-𝒳"]],
      ["الصين وبيلاروسيا ولوكاشينكو مينسكية", "ar", ["w-ar"]],
      ["Belarus café 𝒳𝒴𝒵 whitehall", "en", ["w-ar", "w-𝒳"]],
    ] as const) {
      const d = doc(text, "", lang, { url: "https://arabic.news.cn/x" });
      const got = matchDocument(decoded, d);
      expect(got).toEqual(matchDocument(compiled, d));
      expect(got.map((m) => m.watchlistId)).toEqual(watchlists);
    }
  });

  it("a leading byte order mark (which TextDecoder drops unless told)", () => {
    const { decoded } = roundTrip([
      { id: "\ufeffw", subscriberId: "s", queries: ["\ufeffминск", "\ufeffbelarus", "\u0000nul"] },
    ]);
    expect(decoded._.sources).toEqual(["\ufeffминск", "\ufeffbelarus", "\u0000nul"]);
    expect(decoded._.watchlists[0]?.id).toBe("\ufeffw");
  });

  it("lone surrogates (which UTF-8 and TextDecoder would not keep)", () => {
    const { decoded } = roundTrip([
      { id: "w", subscriberId: "s\ud800", queries: ["минск \udc00x", "belarus"] },
      { id: "w\udfff", subscriberId: "\ud83d", queries: ["\ud83d", "\ude00"] },
    ]);
    expect(decoded._.watchlists.map((w) => [w.id, w.subscriberId])).toEqual([
      ["w", "s\ud800"],
      ["w\udfff", "\ud83d"],
    ]);
    expect(decoded._.sources[0]).toBe("минск \udc00x");
  });
});

describe("snapshot bytes and chunks", () => {
  const index = compileWatchIndex([
    { id: "w", subscriberId: "s", queries: ["belarus", "chin*", '"belt road"~3', "-football"] },
  ]);
  const bytes = encodeWatchIndex(index);

  it("splits under the size given and joins back (ArrayBuffer chunks too)", () => {
    for (const size of [1, 7, 64, bytes.length - 1, bytes.length, WATCH_INDEX_CHUNK_BYTES]) {
      const chunks = splitWatchIndex(bytes, size);
      expect(chunks.every((c) => c.byteLength <= size && c.byteLength > 0)).toBe(true);
      expect(chunks).toHaveLength(Math.ceil(bytes.length / size));
      expect(joinWatchIndex(chunks)).toEqual(bytes);
      expect(joinWatchIndex(chunks.map((c) => c.slice().buffer as ArrayBuffer))).toEqual(bytes);
    }
    expect(WATCH_INDEX_CHUNK_BYTES).toBeLessThan(25 * 2 ** 20);
  });

  it("refuses other bytes, another format and truncated or mixed-up snapshots", () => {
    expect(() => decodeWatchIndex(new Uint8Array(8))).toThrow(/not a watch index/);
    const other = bytes.slice();
    other[4] = 99;
    expect(() => decodeWatchIndex(other)).toThrow(/format 99/);
    expect(() => decodeWatchIndex(bytes.subarray(0, bytes.length - 4))).toThrow(/header says/);
  });

  it("decodes from a view at any offset of a larger buffer", () => {
    const big = new Uint8Array(bytes.length + 3);
    big.set(bytes, 3);
    const d = decodeWatchIndex(big.subarray(3));
    const a = doc("Belt and Road reached Belarus and China.", "", "en");
    expect(matchDocument(d, a)).toEqual(matchDocument(index, a));
    expect(matchDocument(d, a).flatMap((m) => m.matches.map((x) => x.query))).toEqual([
      "belarus",
      "chin*",
      '"belt road"~3',
      "-football",
    ]);
  });
});
