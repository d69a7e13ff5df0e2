/**
 * Unicode and whitespace normalisation for article text, and the Arabic
 * normalisation used for matching and scoring. Pure, never throws.
 */

// Lone surrogates become U+FFFD so every later step sees well-formed UTF-16.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Invisible characters that carry no text: zero-width space, word joiner, BOM,
// soft hyphen, bidi marks, embeddings, overrides and isolates. ZWJ/ZWNJ are kept:
// they change how Persian, Indic scripts and emoji render.
const INVISIBLE = /[\u200B\u2060\uFEFF\u00AD\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/g;
// C0/C1 controls other than tab and newline.
// biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
// Compatibility characters folded with NFKC: ligatures, Arabic presentation forms,
// full-width letters and digits, half-width katakana. Full-width CJK punctuation
// is left alone (it is what a Chinese reader sees).
const COMPAT =
  /[\uFB00-\uFB06\uFB13-\uFB17\uFB50-\uFDFF\uFE70-\uFEFC\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A\uFF65-\uFFDC]+/g;
const SPACES = /[ \t\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]+/g;

/**
 * Normalise text for storage: well-formed UTF-16, NFC plus NFKC for compatibility
 * characters, invisible marks removed, spaces collapsed, at most one blank line
 * between paragraphs, trimmed.
 */
export function normalizeText(input: string): string {
  let s = input.replace(LONE_SURROGATE, "\uFFFD");
  s = s.replace(/\r\n?|[\u2028\u2029\u0085]/g, "\n");
  s = s.replace(CONTROLS, "").replace(INVISIBLE, "");
  s = s.normalize("NFC");
  s = s.replace(COMPAT, (m) => m.normalize("NFKC"));
  s = s.replace(SPACES, " ");
  s = s.replace(/ *\n */g, "\n").replace(/\n{3,}/g, "\n\n");
  return s.trim();
}

/** Normalise a one-line field such as a title. */
export function normalizeLine(input: string): string {
  return normalizeText(input).replace(/\s+/g, " ");
}

const TASHKEEL = /[\u064B-\u0652\u0670\u0640]/g;
const ALEFS = /[أإآٱ]/g;

/** Arabic normalisation for matching: no tashkeel or tatweel, bare alef, ى→ي, ة→ه. */
export function normalizeArabic(s: string): string {
  return s.replace(TASHKEEL, "").replace(ALEFS, "ا").replace(/ى/g, "ي").replace(/ة/g, "ه");
}

/**
 * Text for replay-dedup hashing: NFKC, lower case, Arabic-normalised, letters,
 * marks and digits only, single spaces. Case-, space- and punctuation-insensitive.
 */
export function contentHashInput(text: string): string {
  try {
    const s = normalizeArabic(normalizeText(String(text)).normalize("NFKC").toLowerCase());
    const words = s.match(/[\p{L}\p{N}]+/gu);
    return words === null ? "" : words.join(" ");
  } catch {
    return "";
  }
}
