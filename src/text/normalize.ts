/**
 * Unicode and whitespace normalisation for article text, and the Arabic
 * normalisation used for matching and scoring. Pure, never throws.
 */

// Lone surrogates become U+FFFD so every later step sees well-formed UTF-16.
const ANY_SURROGATE = /[\uD800-\uDFFF]/;
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
// Runs of spaces that are not already a single plain space (a lone " " is left alone,
// which is the same result as replacing every run and costs far less).
const SPACES =
  /[ \t\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]{2,}|[\t\u00A0\u1680\u2000-\u200A\u202F\u205F\u3000]/g;
// Spaces around a line break (a bare "\n" is left alone).
const SPACED_BREAK = / +\n *|\n +/g;

/**
 * Normalise text for storage: well-formed UTF-16, NFC plus NFKC for compatibility
 * characters, invisible marks removed, spaces collapsed, at most one blank line
 * between paragraphs, trimmed.
 */
export function normalizeText(input: string): string {
  // Most text needs only the space steps (or nothing): one pass over the code units
  // decides which steps can change it; the others would be no-ops and are skipped.
  const need = needs(input);
  if ((need & NEEDS_ALL) !== 0) return normalizeAll(input);
  let s = input;
  if ((need & NEEDS_SPACES) !== 0) s = s.replace(SPACES, " ");
  if (need !== 0) s = s.replace(SPACED_BREAK, "\n").replace(/\n{3,}/g, "\n\n");
  return s.trim();
}

const NEEDS_ALL = 1;
const NEEDS_SPACES = 2;
const NEEDS_BREAKS = 4;

/**
 * Which steps of normalizeText can change `s`: NEEDS_ALL for any code unit outside
 * the ranges known to be untouched by the early steps (surrogates, line separators,
 * controls, invisible marks, NFC, NFKC); ASCII, Latin-1 and Latin/IPA letters and
 * marks below U+0300, general punctuation U+2010–2027 and U+2030–205E and currency
 * signs are (NFC leaves strings of them unchanged). NEEDS_SPACES for a tab, a
 * no-break space or two spaces; NEEDS_BREAKS for a space beside a line break or
 * three line breaks.
 */
function needs(s: string): number {
  let out = 0;
  let prev = -1;
  let breaks = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x20) {
      if (prev === 0x20) out |= NEEDS_SPACES;
      else if (prev === 0x0a) out |= NEEDS_BREAKS;
    } else if (c === 0x0a) {
      if (prev === 0x20) out |= NEEDS_BREAKS;
      breaks = prev === 0x0a ? breaks + 1 : 1;
      if (breaks >= 3) out |= NEEDS_BREAKS;
    } else if (c < 0x20) {
      if (c === 0x09) out |= NEEDS_SPACES;
      else return NEEDS_ALL;
    } else if (c >= 0x7f) {
      if (c === 0xa0) out |= NEEDS_SPACES;
      else if (
        !(
          (c > 0xa0 && c < 0x300 && c !== 0xad) ||
          (c >= 0x2010 && c <= 0x2027) ||
          (c >= 0x2030 && c <= 0x205e) ||
          (c >= 0x20a0 && c <= 0x20c0)
        )
      )
        return NEEDS_ALL;
    }
    prev = c;
  }
  return out;
}

function normalizeAll(input: string): string {
  let s = ANY_SURROGATE.test(input) ? input.replace(LONE_SURROGATE, "\uFFFD") : input;
  s = s.replace(/\r\n?|[\u2028\u2029\u0085]/g, "\n");
  s = s.replace(CONTROLS, "").replace(INVISIBLE, "");
  s = s.normalize("NFC");
  s = s.replace(COMPAT, (m) => m.normalize("NFKC"));
  s = s.replace(SPACES, " ");
  s = s.replace(SPACED_BREAK, "\n").replace(/\n{3,}/g, "\n\n");
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
