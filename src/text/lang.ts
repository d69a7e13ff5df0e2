/**
 * Language detection by script, then by function-word profiles for Latin and a few
 * letter tests for Arabic- and Cyrillic-script languages. Returns "und" when unsure.
 * Pure, never throws; looks at most at the first few thousand characters.
 */
import { LATIN_PROFILES } from "./data/stopwords.ts";

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
    if (han + kana >= letters * 0.3) return "zh";
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

// Word → indices of the languages whose profile has it (one lookup per word).
const PROFILE_LANGS = Object.keys(LATIN_PROFILES);
const PROFILE_INDEX: ReadonlyMap<string, number[]> = (() => {
  const m = new Map<string, number[]>();
  PROFILE_LANGS.forEach((lang, k) => {
    for (const w of LATIN_PROFILES[lang] ?? []) {
      const list = m.get(w) ?? [];
      list.push(k);
      m.set(w, list);
    }
  });
  return m;
})();

// Longest profile word: longer words need no lookup.
const PROFILE_MAX = Math.max(0, ...[...PROFILE_INDEX.keys()].map((w) => w.length));

function latin(s: string): string {
  const words =
    s
      .slice(0, 1200)
      .toLowerCase()
      .match(/[\p{L}']+/gu) ?? [];
  if (words.length < 3) return "und";
  const counts = new Array<number>(PROFILE_LANGS.length).fill(0);
  for (const w of words) {
    if (w.length > PROFILE_MAX) continue;
    const hit = PROFILE_INDEX.get(w);
    if (hit !== undefined) for (const k of hit) counts[k] = (counts[k] ?? 0) + 1;
  }
  const scores = PROFILE_LANGS.map((lang, k): [string, number] => [lang, counts[k] ?? 0]);
  scores.sort((a, b) => b[1] - a[1]);
  const [top, second] = scores;
  if (top === undefined || top[1] < 2 || top[1] < words.length * 0.08) return "und";
  if (second !== undefined && top[1] < second[1] * 1.2 + 1) return "und";
  return top[0];
}

function arabicScript(s: string): string {
  // Counts of Persian, Urdu and Arabic-only letters, in one pass.
  let persian = 0;
  let urdu = 0;
  let arabicOnly = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x622 || c > 0x6d2) continue;
    if (c === 0x67e || c === 0x686 || c === 0x698 || c === 0x6af || c === 0x6a9 || c === 0x6cc)
      persian++;
    else if (c === 0x679 || c === 0x688 || c === 0x691 || c === 0x6ba || c === 0x6d2 || c === 0x6be)
      urdu++;
    else if (c === 0x629 || c === 0x649 || c === 0x623 || c === 0x625) arabicOnly++;
  }
  if (urdu > 5 && urdu > arabicOnly) return "ur";
  if (persian > 5 && persian > arabicOnly * 2) return "fa";
  return "ar";
}

function cyrillic(s: string): string {
  const uk = (s.match(/[іїєґІЇЄҐ]/g) ?? []).length;
  const ru = (s.match(/[ыэъЫЭЪ]/g) ?? []).length;
  if (uk > 2 && uk > ru) return "uk";
  return "ru";
}
