import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  fingerprint,
  fingerprintBands,
  fingerprintDistance,
  indexDocument,
  indexedFingerprint,
  isNearDuplicate,
  NEAR_DUPLICATE_DISTANCE,
} from "../../../src/watch/index.ts";
import { fixture } from "./helpers.ts";

const fp = (rel: string) => fingerprint(fixture(rel));

// Measured distances (bits of 64) between each fixture and its edited copy, and
// between different stories on the same topic. These numbers are the evidence for
// NEAR_DUPLICATE_DISTANCE = 5; a change to the fingerprint must re-measure them.
const SAME_STORY: [string, string, number][] = [
  ["seed-ar-xinhua.txt", "watch/dup/ar-seed-dateline.txt", 0], // other dateline
  ["seed-ar-xinhua.txt", "watch/dup/ar-seed-cleaned.txt", 0], // dateline and share crumb removed
  ["seed-ar-xinhua.txt", "watch/dup/ar-seed-edited.txt", 1], // four word edits
  ["seed-ar-xinhua.txt", "watch/dup/ar-seed-trimmed.txt", 4], // last sentence cut (~15%)
  ["watch/en-belarus-park.txt", "watch/dup/en-park-dateline.txt", 0],
  ["watch/en-belarus-park.txt", "watch/dup/en-park-edited.txt", 3], // four word edits
  ["watch/en-belarus-park.txt", "watch/dup/en-park-trimmed.txt", 1], // last paragraph cut
  ["watch/zh-belarus-visit.txt", "watch/dup/zh-visit-dateline.txt", 0],
  ["watch/zh-belarus-visit.txt", "watch/dup/zh-visit-edited.txt", 2], // three edits
];
const DIFFERENT: [string, string, number][] = [
  ["seed-ar-xinhua.txt", "watch/ar-belarus-park.txt", 30], // same topic (China-Belarus), other story
  ["watch/en-belarus-park.txt", "watch/en-belarus-harvest.txt", 24],
  ["watch/zh-belarus-visit.txt", "watch/zh-belarus-harvest.txt", 25],
  ["seed-ar-xinhua.txt", "watch/en-belarus-park.txt", 30], // same story, other language
];

describe("near-duplicate fingerprints", () => {
  it("is 16 hex characters, deterministic, and never throws", () => {
    expect(fp("seed-ar-xinhua.txt")).toMatch(/^[0-9a-f]{16}$/);
    expect(fp("seed-ar-xinhua.txt")).toBe(fp("seed-ar-xinhua.txt"));
    for (const t of ["", "   ", "\uD800", "x"]) expect(fingerprint(t)).toMatch(/^[0-9a-f]{16}$/);
  });

  it.each(SAME_STORY)("%s ~ %s: distance %i, same cluster", (a, b, d) => {
    const [x, y] = [fp(a), fp(b)];
    expect(fingerprintDistance(x, y)).toBe(d);
    expect(isNearDuplicate(x, y)).toBe(true);
    expect(fingerprintBands(x).some((band) => fingerprintBands(y).includes(band))).toBe(true);
  });

  it.each(DIFFERENT)("%s vs %s: distance %i, different clusters", (a, b, d) => {
    const [x, y] = [fp(a), fp(b)];
    expect(fingerprintDistance(x, y)).toBe(d);
    expect(isNearDuplicate(x, y)).toBe(false);
  });

  it("a short story cut by a quarter is no longer a near-duplicate (measured: 9)", () => {
    expect(
      fingerprintDistance(fp("watch/zh-belarus-visit.txt"), fp("watch/dup/zh-visit-trimmed.txt")),
    ).toBe(9);
  });

  it("random light edits (5 word swaps) of each fixture stay within the threshold", () => {
    let seed = 12345;
    const rnd = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed / 2 ** 32;
    };
    for (const rel of [
      "seed-ar-xinhua.txt",
      "watch/en-belarus-park.txt",
      "watch/zh-belarus-visit.txt",
    ]) {
      const base = fixture(rel);
      const parts = /[\u4e00-\u9fff]/.test(base.slice(0, 20)) ? [...base] : base.split(/(\s+)/);
      const idx = parts.map((p, i) => (p.trim() ? i : -1)).filter((i) => i >= 0);
      const f0 = fingerprint(base);
      let worst = 0;
      for (let r = 0; r < 100; r++) {
        const copy = parts.slice();
        for (let j = 0; j < 5; j++) {
          copy[idx[Math.floor(rnd() * idx.length)] as number] = parts[
            idx[Math.floor(rnd() * idx.length)] as number
          ] as string;
        }
        worst = Math.max(worst, fingerprintDistance(f0, fingerprint(copy.join(""))));
      }
      expect(worst).toBeLessThanOrEqual(NEAR_DUPLICATE_DISTANCE);
    }
  });

  it("bands: fingerprints within the threshold always share a band (pigeonhole)", () => {
    expect(fingerprintBands("0123456789abcdef")).toEqual([
      "0:009",
      "1:0d1",
      "2:2cf",
      "3:09a",
      "4:2f3",
      "5:1ef",
    ]);
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
        fc.uniqueArray(fc.integer({ min: 0, max: 63 }), { maxLength: NEAR_DUPLICATE_DISTANCE }),
        (v, bits) => {
          let w = v;
          for (const b of bits) w ^= 1n << BigInt(b);
          const a = v.toString(16).padStart(16, "0");
          const b = w.toString(16).padStart(16, "0");
          expect(fingerprintDistance(a, b)).toBe(bits.length);
          const bb = fingerprintBands(b);
          expect(fingerprintBands(a).some((x) => bb.includes(x))).toBe(true);
        },
      ),
    );
  });

  it("the fingerprint of an indexed document is the text's fingerprint (title and clitic forms left out)", () => {
    const word = fc.constantFrom(
      "China",
      "china",
      "الصين",
      "بالصين",
      "وللصين",
      "白俄罗斯",
      "Минск",
      "e\u0301te",
      "été",
      "𝔸x",
      "42",
    );
    const text = fc
      .array(fc.oneof(word, fc.string({ maxLength: 6 })), { maxLength: 40 })
      .map((w) => w.join(" "));
    fc.assert(
      fc.property(text, text, (title, body) => {
        const d = indexDocument({ title, text: body, lang: "und", sentences: [] });
        expect(indexedFingerprint(d)).toBe(fingerprint(body));
      }),
      { numRuns: 300 },
    );
    for (const rel of [
      "seed-ar-xinhua.txt",
      "watch/en-belarus-park.txt",
      "watch/zh-belarus-visit.txt",
    ]) {
      const body = fixture(rel);
      const d = indexDocument({ title: "وللصين Belarus", text: body, lang: "und", sentences: [] });
      expect(indexedFingerprint(d)).toBe(fingerprint(body));
    }
  });
});
