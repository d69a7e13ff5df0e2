/**
 * Character classes and token normalisation for watch matching.
 *
 * Pure and table-driven: every code point is classified once (cached), and every
 * code point is mapped once to its folded form (lower case, compatibility-decomposed,
 * Latin/Greek/Cyrillic diacritics and Arabic/Hebrew vowel marks removed, Arabic
 * letter variants unified). Normalisation works per token, so offsets into the
 * original text never shift.
 */

/** Character class: not part of any token. */
export const SEP = 0;
/** Character class: a letter or digit of a space-delimited script. */
export const WORD = 1;
/** Character class: a combining mark (joins the token before it). */
export const MARK = 2;
/** Character class: a character of a script written without spaces (CJK, Thai...); each is its own token and terms match as substrings. */
export const SUB = 3;

const RE_SUB =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\u30FC\u3005-\u3007\uFF66-\uFF9F]/u;
const RE_MARK = /\p{M}/u;
const RE_WORD = /[\p{L}\p{N}\u00AD]|\u200C|\u200D/u;

/** Class per BMP code unit; 255 = not computed yet, 254 = surrogate (slow path). */
export const CLASS_TABLE = new Uint8Array(65536).fill(255);
const classCache = CLASS_TABLE;
for (let c = 0; c < 128; c++) {
  CLASS_TABLE[c] = (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) ? 1 : 0;
}
CLASS_TABLE.fill(254, 0xd800, 0xe000);

function classifyString(ch: string): number {
  if (RE_MARK.test(ch)) {
    // Kana voicing marks behave like the syllable they modify.
    return MARK;
  }
  if (RE_SUB.test(ch)) return SUB;
  if (RE_WORD.test(ch)) return WORD;
  return SEP;
}

/** Class of the code point starting at `i` (a lone surrogate is a separator). */
export function classAt(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c < 128) {
    // ASCII fast path.
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57)) return WORD;
    return SEP;
  }
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return classifyString(text.slice(i, i + 2));
    return SEP;
  }
  if (c >= 0xdc00 && c <= 0xdfff) return SEP;
  let k = classCache[c] as number;
  if (k === 255) {
    k = classifyString(String.fromCharCode(c));
    classCache[c] = k;
  }
  return k;
}

/** Length in UTF-16 units of the code point at `i`. */
export function cpLen(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

// Marks removed by folding: Latin/Greek/Cyrillic combining diacritics, Arabic
// tashkeel and Quranic marks (incl. the hamza marks NFKD splits off أ إ آ),
// Hebrew points, and format characters that may sit inside words.
const RE_STRIP =
  /[\u0300-\u036F\u1AB0-\u1AFF\u1DC0-\u1DFF\u20D0-\u20FF\uFE20-\uFE2F\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED\u0591-\u05BD\u05BF\u05C1\u05C2\u05C4\u05C5\u05C7\u00AD\u0640]|\u200C|\u200D/g;

const SPECIAL: Record<string, string> = {
  // Arabic letter variants (Lucene ArabicNormalizer + Persian forms).
  "\u0623": "\u0627", // أ
  "\u0625": "\u0627", // إ
  "\u0622": "\u0627", // آ
  "\u0671": "\u0627", // ٱ
  "\u0649": "\u064A", // ى -> ي
  "\u06CC": "\u064A", // ی -> ي
  "\u0629": "\u0647", // ة -> ه
  "\u06A9": "\u0643", // ک -> ك
  "\u0624": "\u0624", // ؤ stays (NFKD would fold it to و)
  "\u0626": "\u0626", // ئ stays (NFKD would fold it to ي)
  "\u0640": "", // tatweel
  // Letters that do not decompose but readers treat as accented Latin.
  ß: "ss",
  ẞ: "ss",
  ł: "l",
  Ł: "l",
  ø: "o",
  Ø: "o",
  đ: "d",
  Đ: "d",
  ħ: "h",
  Ħ: "h",
  ı: "i",
  æ: "ae",
  Æ: "ae",
  œ: "oe",
  Œ: "oe",
  ς: "σ",
  й: "й",
  Й: "й",
};
// Arabic-Indic and extended Arabic-Indic digits fold to ASCII digits.
for (let d = 0; d < 10; d++) {
  SPECIAL[String.fromCharCode(0x0660 + d)] = String(d);
  SPECIAL[String.fromCharCode(0x06f0 + d)] = String(d);
}

function foldString(ch: string): string {
  const sp = SPECIAL[ch];
  if (sp !== undefined) return sp;
  const lower = ch.toLowerCase();
  const sp2 = SPECIAL[lower];
  if (sp2 !== undefined) return sp2;
  const out = lower.normalize("NFKD").replace(RE_STRIP, "").normalize("NFC");
  // Folding can expose one of the special letters (e.g. a presentation form of ى).
  let res = "";
  for (const c of out) res += SPECIAL[c] ?? c;
  return res;
}

const foldCache: (string | undefined)[] = new Array(65536);
/**
 * Per BMP code unit, what folding makes of it: the single code unit it becomes,
 * FOLD_EMPTY (removed), FOLD_COMPLEX (several units, or a surrogate), or
 * FOLD_UNKNOWN (not computed yet; see `foldUnit`).
 */
export const FOLD_UNKNOWN = -1;
export const FOLD_COMPLEX = -2;
export const FOLD_EMPTY = -3;
export const FOLD_MAP = new Int32Array(65536).fill(FOLD_UNKNOWN);
FOLD_MAP.fill(FOLD_COMPLEX, 0xd800, 0xe000);
for (let c = 0; c < 128; c++) FOLD_MAP[c] = c >= 65 && c <= 90 ? c + 32 : c;

/** The FOLD_MAP entry of `c`, computing it when needed. */
export function foldUnit(c: number): number {
  let m = FOLD_MAP[c] as number;
  if (m === FOLD_UNKNOWN) {
    let f = foldCache[c];
    if (f === undefined) {
      f = foldString(String.fromCharCode(c));
      foldCache[c] = f;
    }
    m = f.length === 0 ? FOLD_EMPTY : f.length === 1 ? f.charCodeAt(0) : FOLD_COMPLEX;
    FOLD_MAP[c] = m;
  }
  return m;
}

/**
 * The folded (matching) form of `text.slice(start, end)`: lower case, no diacritics,
 * Arabic variants unified. Never throws; lone surrogates are dropped.
 */
export function foldRange(text: string, start: number, end: number): string {
  let ascii = true;
  for (let i = start; i < end; i++) {
    if (text.charCodeAt(i) >= 128) {
      ascii = false;
      break;
    }
  }
  if (ascii) return text.slice(start, end).toLowerCase();
  let out = "";
  for (let i = start; i < end; ) {
    const c = text.charCodeAt(i);
    if (c < 128) {
      out += c >= 65 && c <= 90 ? String.fromCharCode(c + 32) : text[i];
      i++;
      continue;
    }
    const n = cpLen(text, i);
    if (n === 2) {
      out += foldString(text.slice(i, i + 2));
    } else if (c >= 0xd800 && c <= 0xdfff) {
      // lone surrogate: drop
    } else {
      let f = foldCache[c];
      if (f === undefined) {
        f = foldString(String.fromCharCode(c));
        foldCache[c] = f;
      }
      out += f;
    }
    i += n;
  }
  return out;
}

/** Folded form of a whole string. */
export function fold(s: string): string {
  return foldRange(s, 0, s.length);
}

// ---------------------------------------------------------------------------
// Arabic proclitics

/**
 * Words (folded) that begin with letters that look like proclitics but are not:
 * they are never split, so a query for the tail (`كين`) does not match them
 * (`بكين`). Decomposition only ever adds forms, so this list is a precision aid,
 * not a requirement for recall.
 */
const PROTECTED_AR = new Set(
  [
    "بكين",
    "واشنطن",
    "لوكاشينكو",
    "لبنان",
    "ليبيا",
    "لندن",
    "لاهاي",
    "لاوس",
    "لاتفيا",
    "ليتوانيا",
    "لوكسمبورغ",
    "لشبونه",
    "لاغوس",
    "لي",
    "بغداد",
    "بيروت",
    "برلين",
    "باريس",
    "بروكسل",
    "بريطانيا",
    "بلغاريا",
    "بلغراد",
    "بولندا",
    "بنغلاديش",
    "بورما",
    "بوتين",
    "بايدن",
    "بنما",
    "بانكوك",
    "باكستان",
    "بيرو",
    "بوليفيا",
    "بلجيكا",
    "بوروندي",
    "بنين",
    "بينغ",
    "بوخارست",
    "بودابست",
    "بيلاروس",
    "بيلاروسيا",
    "فرنسا",
    "فلسطين",
    "فنزويلا",
    "فنلندا",
    "فيتنام",
    "فيينا",
    "فيجي",
    "فلاديمير",
    "كندا",
    "كوبا",
    "كوريا",
    "كينيا",
    "كابول",
    "كراتشي",
    "كييف",
    "كازاخستان",
    "كمبوديا",
    "كولومبيا",
    "كرواتيا",
    "كاراكاس",
    "وارسو",
    "ولينغتون",
    "وانغ",
    "ويلز",
    "واغادوغو",
  ].map(fold),
);

const AR_MIN = 3; // minimum letters left after removing proclitics

/** True for a UTF-16 unit in the Arabic letters' range (hamza to yeh). */
export function isArabicLetter(c: number): boolean {
  return c >= 0x0621 && c <= 0x064a;
}

/**
 * The clitic-stripped forms of a folded Arabic token (not including the token
 * itself): conjunction (و ف) then preposition (ب ك ل), keeping the article, so
 * `وبالصين` -> `بالصين`, `الصين`; `للصين` / `وللصين` -> `الصين` (ل + fused ال).
 * Not a stemmer: nothing is removed from the end, and at least three letters stay.
 */
export function arabicCliticForms(w: string): string[] {
  if (w.length <= AR_MIN || !isArabicLetter(w.charCodeAt(0)) || PROTECTED_AR.has(w)) return [];
  const out: string[] = [];
  const add = (f: string) => {
    if (f.length >= AR_MIN && f !== w && !out.includes(f)) out.push(f);
  };
  const c0 = w[0];
  const stage1: string[] = [w];
  if ((c0 === "و" || c0 === "ف") && w.length - 1 >= AR_MIN) {
    const r = w.slice(1);
    add(r);
    if (!PROTECTED_AR.has(r)) stage1.push(r);
  }
  for (let s = 0; s < stage1.length; s++) {
    const r1 = stage1[s] as string;
    if (s > 0 || !PROTECTED_AR.has(r1)) {
      const p = r1[0];
      if (p === "ب" || p === "ك" || p === "ل") {
        const r2 = r1.slice(1);
        add(r2);
        // ل + ال is written لل: restore the article.
        if (p === "ل" && r2[0] === "ل" && r2.length >= AR_MIN) add(`ا${r2}`);
      }
    }
  }
  return out;
}
