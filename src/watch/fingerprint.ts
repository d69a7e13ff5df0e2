/**
 * Near-duplicate fingerprints: 64 bits as 16 hex characters, so the same wire story
 * republished with light edits or another dateline lands within a few bits.
 *
 * The tuned method is a one-bit MinHash (b-bit MinHash with b = 1) over the set of
 * folded tokens (words; single characters for CJK): bit i is the lowest bit of the
 * minimum of hash function i over the set, so two texts differ in a bit with
 * probability (1 - Jaccard) / 2, whatever their length. SimHash over word shingles
 * was measured too and is noisier on short wire stories (see the near-duplicate test).
 */
import type { DocIndex } from "./doc.ts";
import { newDict, tokenize } from "./tokenize.ts";

function fmix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function hex32(x: number): string {
  return (x >>> 0).toString(16).padStart(8, "0");
}

/** One-bit MinHash over a set of distinct token hashes (the tokenizer's dictionary hashes, so no strings are built). */
function minhash1(bases: ArrayLike<number>): string {
  const n = bases.length;
  if (n === 0) return "0000000000000000";
  let lo = 0;
  let hi = 0;
  for (let i = 0; i < 64; i++) {
    const seed = fmix32(0x5bd1e995 + i * 0x9e3779b9);
    let m = 0xffffffff;
    let arg = 0;
    for (let j = 0; j < n; j++) {
      const b = bases[j] as number;
      const h = fmix32(b ^ seed);
      // fmix32 is a bijection, so the minimum (and `arg`) does not depend on the order of `bases`
      if (h < m) {
        m = h;
        arg = b;
      }
    }
    if ((fmix32(arg ^ 0x68e31da4 ^ i) & 1) === 1) {
      if (i < 32) lo |= 1 << i;
      else hi |= 1 << (i - 32);
    }
  }
  return hex32(hi) + hex32(lo);
}

function popcount32(x: number): number {
  let v = x >>> 0;
  v -= (v >>> 1) & 0x55555555;
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Number of differing bits between two fingerprints (64 when either is malformed). */
export function fingerprintDistance(a: string, b: string): number {
  if (!/^[0-9a-f]{16}$/i.test(a) || !/^[0-9a-f]{16}$/i.test(b)) return 64;
  const ah = Number.parseInt(a.slice(0, 8), 16);
  const al = Number.parseInt(a.slice(8), 16);
  const bh = Number.parseInt(b.slice(0, 8), 16);
  const bl = Number.parseInt(b.slice(8), 16);
  return popcount32(ah ^ bh) + popcount32(al ^ bl);
}

/**
 * Largest fingerprint distance (differing bits of 64) still treated as the same story.
 * Measured on edited copies of the fixtures; see the near-duplicate test.
 */
export const NEAR_DUPLICATE_DISTANCE = 5;

/** The 64-bit near-duplicate fingerprint of a text, as 16 lower-case hex characters. Never throws. */
export function fingerprint(text: string): string {
  const dict = newDict(2048);
  tokenize(typeof text === "string" ? text : "", dict);
  return minhash1(Int32Array.from(dict.hashes));
}

/**
 * `fingerprint(doc.text)` of a document already indexed for matching: the same set of
 * distinct text-field keys, read from the index instead of tokenising the text again.
 */
export function indexedFingerprint(d: DocIndex): string {
  const toks = d.fields[1].toks;
  const seen = new Uint8Array(d.keys.length);
  const bases: number[] = [];
  for (let p = 0; p < toks.n; p++) {
    const id = toks.ids[p] as number;
    if (seen[id] === 0) {
      seen[id] = 1;
      bases.push(d.dict.hashes[id] as number);
    }
  }
  return minhash1(bases);
}

/** Bit widths of the bands: NEAR_DUPLICATE_DISTANCE + 1 of them, so by pigeonhole near-duplicates share one. */
const BAND_COUNT = NEAR_DUPLICATE_DISTANCE + 1;

/**
 * Band keys of a fingerprint for the store's candidate lookup ("0:abcd", "1:..."):
 * the 64 bits cut into NEAR_DUPLICATE_DISTANCE + 1 bands, so two fingerprints within
 * the distance agree on at least one whole band.
 */
export function fingerprintBands(fp: string): string[] {
  const f = /^[0-9a-f]{16}$/i.test(fp) ? fp.toLowerCase() : "0000000000000000";
  let bits = "";
  for (const ch of f) bits += Number.parseInt(ch, 16).toString(2).padStart(4, "0");
  const out: string[] = [];
  let at = 0;
  for (let b = 0; b < BAND_COUNT; b++) {
    const w = Math.floor(64 / BAND_COUNT) + (b < 64 % BAND_COUNT ? 1 : 0);
    const v = Number.parseInt(bits.slice(at, at + w), 2);
    out.push(`${b}:${v.toString(16).padStart(Math.ceil(w / 4), "0")}`);
    at += w;
  }
  return out;
}

/** True when two fingerprints are within NEAR_DUPLICATE_DISTANCE bits. */
export function isNearDuplicate(a: string, b: string): boolean {
  return fingerprintDistance(a, b) <= NEAR_DUPLICATE_DISTANCE;
}
