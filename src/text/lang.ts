/**
 * Language detection by script, then by function-word profiles for Latin and a few
 * letter tests for Arabic- and Cyrillic-script languages. Returns "und" when unsure.
 * Pure, never throws; looks at most at the first few thousand characters.
 */
import { STOPWORDS } from "./data/stopwords.ts";
import { TRIGRAM_PROFILES } from "./data/trigrams.ts";

const SAMPLE = 4000;

const SCRIPT_NAMES = [
  "Latin",
  "Greek",
  "Cyrillic",
  "Hebrew",
  "Arabic",
  "Devanagari",
  "Thai",
  "Hangul",
  "Kana",
  "Han",
] as const;
const LATIN = 0;
const GREEK = 1;
const CYRILLIC = 2;
const HEBREW = 3;
const ARABIC = 4;
const DEVANAGARI = 5;
const THAI = 6;
const HANGUL = 7;
const KANA = 8;
const HAN = 9;

/** Script (index into SCRIPT_NAMES) of a code point, by block ranges; -1 for none. */
function scriptOf(c: number): number {
  if (c < 0x41) return -1;
  if (c <= 0x24f)
    return c <= 0x5a || (c >= 0x61 && c <= 0x7a) || (c >= 0xc0 && c !== 0xd7 && c !== 0xf7)
      ? LATIN
      : -1;
  if (c >= 0x1e00 && c <= 0x1eff) return LATIN;
  if (c >= 0x370 && c <= 0x3ff) return GREEK;
  if (c >= 0x400 && c <= 0x52f) return CYRILLIC;
  if (c >= 0x590 && c <= 0x5ff) return HEBREW;
  if ((c >= 0x600 && c <= 0x6ff) || (c >= 0x750 && c <= 0x77f) || (c >= 0x8a0 && c <= 0x8ff))
    return ARABIC;
  if (c >= 0x900 && c <= 0x97f) return DEVANAGARI;
  if (c >= 0xe00 && c <= 0xe7f) return THAI;
  if ((c >= 0x1100 && c <= 0x11ff) || (c >= 0xac00 && c <= 0xd7af)) return HANGUL;
  if (c >= 0x3040 && c <= 0x30ff) return KANA;
  if (
    (c >= 0x3400 && c <= 0x4dbf) ||
    (c >= 0x4e00 && c <= 0x9fff) ||
    (c >= 0xf900 && c <= 0xfaff) ||
    (c >= 0x20000 && c <= 0x3134f)
  )
    return HAN;
  if ((c >= 0xfb50 && c <= 0xfdff) || (c >= 0xfe70 && c <= 0xfefc)) return ARABIC;
  return -1;
}

const SIMPLE: Readonly<Record<string, string>> = {
  Hangul: "ko",
  Greek: "el",
  Hebrew: "he",
  Devanagari: "hi",
  Thai: "th",
};

/** Detect the language of a text as an ISO 639-1 code, or "und". */
export function detectLanguage(text: string): string {
  try {
    return detect(text.length > SAMPLE ? text.slice(0, SAMPLE) : text);
  } catch {
    return "und";
  }
}

function detect(s: string): string {
  const counts = new Map<string, number>();
  const tally = new Int32Array(SCRIPT_NAMES.length);
  let letters = 0;
  const n = Math.min(s.length, 1000);
  for (let i = 0; i < n; i++) {
    let c = s.charCodeAt(i);
    if (c < 0x41) continue;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const lo = s.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      }
    }
    const k = scriptOf(c);
    if (k < 0) continue;
    letters++;
    tally[k] = (tally[k] ?? 0) + 1;
  }
  for (let k = 0; k < SCRIPT_NAMES.length; k++)
    if ((tally[k] ?? 0) > 0) counts.set(SCRIPT_NAMES[k] as string, tally[k] ?? 0);
  if (letters < 3) return "und";
  const han = counts.get("Han") ?? 0;
  const kana = counts.get("Kana") ?? 0;
  // Chinese and Japanese: kana is the tell.
  if (han + kana >= letters * 0.3) {
    if (kana >= (han + kana) * 0.08) return "ja";
    return "zh";
  }
  let best = "";
  let bestN = 0;
  for (const [name, n] of counts) {
    if (n > bestN) {
      best = name;
      bestN = n;
    }
  }
  if (bestN < letters * 0.5) return "und";
  switch (best) {
    case "Latin":
      return latin(s);
    case "Arabic":
      return arabicScript(s);
    case "Cyrillic":
      return cyrillic(s);
    case "Han":
      return "zh";
    case "Kana":
      return "ja";
    default:
      return SIMPLE[best] ?? "und";
  }
}

/** Latin-script languages told apart by trigram profiles (data/trigrams.ts). */
export const LATIN_LANGS = ["en", "fr", "es", "pt", "de", "it", "nl"] as const;

/**
 * The features of a lower-cased word: its trigrams padded with "_" ("_th", "the", "he_"),
 * plus "#x#" for each non-ASCII letter x (ß, ã, ñ: one letter can settle a headline).
 */
export function wordTrigrams(w: string): string[] {
  const p = `_${w}_`;
  const out: string[] = [];
  for (let i = 0; i + 3 <= p.length; i++) out.push(p.slice(i, i + 3));
  for (let i = 0; i < w.length; i++) if (w.charCodeAt(i) > 0x7f) out.push(`#${w[i]}#`);
  return out;
}

/** Trigram -> log-probability per language; and each language's log-probability of an unseen trigram. */
interface TrigramModel {
  logp: Map<string, Float64Array>;
  unseen: Float64Array;
}

let model: TrigramModel | null = null;

/** Built on first use (a few thousand map entries, well under a millisecond). */
function trigramModel(): TrigramModel {
  if (model !== null) return model;
  const L = LATIN_LANGS.length;
  const counts = new Map<string, Float64Array>();
  const totals = new Float64Array(L);
  LATIN_LANGS.forEach((lang, k) => {
    for (const entry of (TRIGRAM_PROFILES[lang] ?? "").split(" ")) {
      if (entry.length < 4) continue;
      const t = entry.slice(0, 3);
      const c = Number(entry.slice(3));
      let row = counts.get(t);
      if (row === undefined) {
        row = new Float64Array(L);
        counts.set(t, row);
      }
      row[k] = c;
      totals[k] = (totals[k] ?? 0) + c;
    }
  });
  // Add-α smoothing over the trigrams any profile knows.
  const alpha = 0.5;
  const v = counts.size;
  const unseen = new Float64Array(L);
  for (let k = 0; k < L; k++) unseen[k] = Math.log(alpha / ((totals[k] ?? 0) + alpha * v));
  const logp = new Map<string, Float64Array>();
  for (const [t, row] of counts) {
    const lp = new Float64Array(L);
    for (let k = 0; k < L; k++)
      lp[k] = Math.log(((row[k] ?? 0) + alpha) / ((totals[k] ?? 0) + alpha * v));
    logp.set(t, lp);
  }
  model = { logp, unseen };
  return model;
}

// Stopword -> indices of the Latin languages whose stopword table has it.
const STOP_INDEX: ReadonlyMap<string, number[]> = (() => {
  const m = new Map<string, number[]>();
  LATIN_LANGS.forEach((lang, k) => {
    for (const w of STOPWORDS[lang] ?? []) {
      const list = m.get(w) ?? [];
      list.push(k);
      m.set(w, list);
    }
  });
  return m;
})();

/** Share of stopwords the best language needs in a text of 15 words or more. */
const MIN_STOP_SHARE = 0.15;
/** Log-odds a stopword adds to each language that has it (split among them). */
const STOP_WEIGHT = 2;
/**
 * Log-odds margin per feature below which the text is undecidable: e^0.04 a feature,
 * about 3:1 between the best two languages on a 30-feature headline.
 */
const MIN_MARGIN = 0.04;

/** Evidence for each Latin-script language (same order as LATIN_LANGS). */
interface LatinEvidence {
  /** Log-probability score per language (higher is likelier). */
  scores: Float64Array;
  /** Words that were scored. */
  words: number;
  /** Trigrams that some profile knows. */
  trigrams: number;
  /** Stopwords of each language among the words. */
  stops: Int32Array;
}

/** Characters of a Latin-script text that are scored: a headline, or a long text's opening lines. */
const LATIN_SAMPLE = 400;
// Tokens that are not prose: links, addresses, hashtags, handles, anything with a digit.
const NOT_PROSE = /:\/\/|@|^#|^www\.|\d/;
const LETTERS = /[\p{L}\p{M}]+/gu;

/**
 * Trigram and stopword evidence for a Latin-script text (its first LATIN_SAMPLE characters).
 * Acronyms (ACRONYM) and brand-style words (iPhone) say nothing about the language.
 */
function latinEvidence(s: string): LatinEvidence {
  const m = trigramModel();
  const L = LATIN_LANGS.length;
  const scores = new Float64Array(L);
  const stops = new Int32Array(L);
  let words = 0;
  let trigrams = 0;
  const add = (t: string): void => {
    const lp = m.logp.get(t);
    if (lp === undefined) return;
    trigrams++;
    for (let k = 0; k < L; k++) scores[k] = (scores[k] ?? 0) + (lp[k] ?? 0);
  };
  for (const token of s.slice(0, LATIN_SAMPLE).split(/\s+/)) {
    if (token === "" || NOT_PROSE.test(token)) continue;
    LETTERS.lastIndex = 0;
    for (let r = LETTERS.exec(token); r !== null; r = LETTERS.exec(token)) {
      const raw = r[0];
      const lower = raw.toLowerCase();
      // Any capital after the first letter: an acronym (NATO) or a brand (iPhone).
      if (raw.length > 1 && lower.slice(1) !== raw.slice(1)) continue;
      words++;
      const stop = STOP_INDEX.get(lower);
      if (stop !== undefined)
        for (const k of stop) {
          scores[k] = (scores[k] ?? 0) + STOP_WEIGHT / stop.length;
          stops[k] = (stops[k] ?? 0) + 1;
        }
      // The same features as wordTrigrams, without building the array.
      const p = `_${lower}_`;
      for (let i = 0; i + 3 <= p.length; i++) add(p.slice(i, i + 3));
      for (let i = 0; i < lower.length; i++) if (lower.charCodeAt(i) > 0x7f) add(`#${lower[i]}#`);
    }
  }
  return { scores, words, trigrams, stops };
}

/** Best and second-best language indices of a score vector. */
function topTwo(scores: Float64Array): [number, number] {
  let best = 0;
  let second = -1;
  for (let k = 1; k < scores.length; k++) {
    if ((scores[k] ?? 0) > (scores[best] ?? 0)) {
      second = best;
      best = k;
    } else if (second < 0 || (scores[k] ?? 0) > (scores[second] ?? 0)) second = k;
  }
  return [best, Math.max(0, second)];
}

/**
 * Latin script: a naive-Bayes score over character trigrams (word edges included) plus
 * stopword evidence, so a headline without function words is still placed. Fewer than
 * two prose words, or a margin too small for the evidence, is "und".
 */
function latin(s: string): string {
  const e = latinEvidence(s);
  if (e.words < 2 || e.trigrams < 8) return "und";
  const [best, second] = topTwo(e.scores);
  const margin = (e.scores[best] ?? 0) - (e.scores[second] ?? 0);
  if (margin < MIN_MARGIN * e.trigrams) return "und";
  // Prose of more than a headline has function words; without them it is some other
  // Latin-script language (Turkish, Indonesian, Polish...) that merely looks close.
  // A headline of five words or more without one is rare (1 in 250 of ours).
  const stops = e.stops[best] ?? 0;
  if (e.words >= 15 ? stops < e.words * MIN_STOP_SHARE : e.words >= 5 && stops === 0) return "und";
  return LATIN_LANGS[best] ?? "und";
}

/**
 * Arabic script: Urdu and Persian have letters Arabic lacks. Urdu's own letters
 * (ٹ ڈ ڑ ں ے ہ ھ) decide first, since Urdu also uses the Persian ones; Persian's
 * (پ چ ژ گ, and its ک ی for Arabic ك ي) decide over the Arabic-only ones (ة ك ي ى).
 * One letter is enough in a headline; a long text needs about one in a hundred.
 */
function arabicScript(s: string): string {
  let persian = 0;
  let urdu = 0;
  let arabicOnly = 0;
  let letters = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x620 || c > 0x6ff) continue;
    letters++;
    if (
      c === 0x679 ||
      c === 0x688 ||
      c === 0x691 ||
      c === 0x6ba ||
      c === 0x6d2 ||
      c === 0x6c1 ||
      c === 0x6be ||
      c === 0x6d3
    )
      urdu++;
    else if (c === 0x67e || c === 0x686 || c === 0x698 || c === 0x6af || c === 0x6a9 || c === 0x6cc)
      persian++;
    else if (c === 0x629 || c === 0x643 || c === 0x64a || c === 0x649) arabicOnly++;
  }
  const enough = Math.max(1, letters / 100);
  if (urdu >= enough && urdu * 4 >= arabicOnly) return "ur";
  if (persian >= enough && persian > arabicOnly) return "fa";
  return "ar";
}

function cyrillic(s: string): string {
  const uk = (s.match(/[іїєґІЇЄҐ]/g) ?? []).length;
  const ru = (s.match(/[ыэъЫЭЪ]/g) ?? []).length;
  if (uk > 2 && uk > ru) return "uk";
  return "ru";
}
