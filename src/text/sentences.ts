/**
 * Sentence splitting with per-language abbreviation tables. One forward scan over
 * candidate boundaries (terminal punctuation and line breaks); each candidate is
 * decided from the characters and words around it. Pure, never throws.
 */
import { abbreviations, SENTENCE_OPENERS } from "./data/abbreviations.ts";

export interface SentenceSpan {
  start: number;
  end: number;
  text: string;
}

const CANDIDATE = /\n+|[.!?…。！？．؟۔‼⁇⁈⁉]+/g;
// Characters that change the quotation state (see the scan in splitSentences).
const QUOTE_CHARS = /["\u201c\u00ab\u300c\u300e\u201d\u00bb\u300d\u300f\n]/g;
const CLOSERS = /^["'”’»)\]」』）】〕›]+/;
const CJK_END = /[。！？．]/;
const HAS_WORD = /[\p{L}\p{N}]/u;
const IS_LOWER = /\p{Ll}/u;
const IS_UPPER = /\p{Lu}/u;
const IS_LETTER = /\p{L}/u;
const IS_DIGIT = /\p{N}/u;
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
const SPACE = /\s/;

/** `/\s/` on the code unit at `i` (false past the end), without a regex for ASCII. */
function isSpaceAt(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  if (c === 0x20 || (c >= 0x09 && c <= 0x0d)) return true;
  if (c < 0xa0 || Number.isNaN(c)) return false;
  return SPACE.test(text[i] as string);
}

/** Whether the code unit can start CLOSERS: "'”’»)]」』）】〕›. */
function isCloser(c: number): boolean {
  return (
    c === 0x22 ||
    c === 0x27 ||
    c === 0x29 ||
    c === 0x5d ||
    c === 0x201d ||
    c === 0x2019 ||
    c === 0xbb ||
    c === 0x300d ||
    c === 0x300f ||
    c === 0xff09 ||
    c === 0x3011 ||
    c === 0x3015 ||
    c === 0x203a
  );
}

/** The run of letters, digits, dots, hyphens and apostrophes ending at `i` (at most 40 chars). */
function wordBefore(text: string, i: number): string {
  let k = i;
  const stop = Math.max(0, i - 40);
  while (k > stop) {
    const c = text.charCodeAt(k - 1);
    const ok =
      c < 0x80
        ? (c >= 0x30 && c <= 0x39) ||
          (c >= 0x41 && c <= 0x5a) ||
          (c >= 0x61 && c <= 0x7a) ||
          c === 0x2e ||
          c === 0x2d ||
          c === 0x27
        : WORD_CHAR.test(text[k - 1] ?? "");
    if (!ok) break;
    k--;
  }
  return text.slice(k, i);
}
const WORD_AFTER = /^[\p{L}\p{M}\p{N}]*/u;

function isCaseless(ch: string): boolean {
  return IS_LETTER.test(ch) && !IS_LOWER.test(ch) && !IS_UPPER.test(ch);
}

/** Month words (lower-cased) that may follow an ordinal day like German "26. Januar". */
const MONTH_AFTER_ORDINAL = new Set(
  "januar februar märz april mai juni juli august september oktober november dezember jan feb mär apr jun jul aug sep okt nov dez".split(
    " ",
  ),
);

/**
 * Split `text[from..to)` into sentence spans. Offsets are UTF-16 indices into `text`;
 * spans are trimmed and never empty; spans without any letter or digit are dropped.
 */
export function splitSentences(
  text: string,
  lang: string,
  from = 0,
  to = text.length,
): SentenceSpan[] {
  const out: SentenceSpan[] = [];
  const abbr = abbreviations(lang);
  let segStart = from;
  const push = (a: number, b: number): void => {
    while (a < b && isSpaceAt(text, a)) a++;
    while (b > a && isSpaceAt(text, b - 1)) b--;
    if (b <= a) return;
    const t = text.slice(a, b);
    if (!HAS_WORD.test(t)) return;
    out.push({ start: a, end: b, text: t });
  };
  // Quotation state, advanced incrementally (linear in the text). Kept in locals that
  // no closure captures, so the scan runs on registers.
  let qPos = from;
  let straight = false;
  let depth = 0;
  // Position of the next character in QUOTE_CHARS at or after qPos (stale when < qPos).
  let nextQ = -1;
  CANDIDATE.lastIndex = from;
  for (let m = CANDIDATE.exec(text); m !== null; m = CANDIDATE.exec(text)) {
    const i = m.index;
    if (i >= to) break;
    const run = m[0];
    let j = i + run.length;
    if (run[0] === "\n") {
      if (run.length >= 2 || lineBreakEnds(text, i, j)) {
        push(segStart, i);
        segStart = j;
      }
      continue;
    }
    // Absorb closing quotes and brackets that belong to the sentence being ended.
    const rest = isCloser(text.charCodeAt(j)) ? text.slice(j, Math.min(j + 8, to)) : "";
    const cl = rest === "" ? null : CLOSERS.exec(rest);
    if (
      cl !== null &&
      (cl[0].replace(/['"]/g, "") !== "" || /^(\s|$)/.test(rest.slice(cl[0].length)))
    ) {
      j += cl[0].length;
      CANDIDATE.lastIndex = j;
    }
    if (j > to) j = to;
    // Jump from one quotation mark (or line break) to the next, up to j.
    for (;;) {
      if (nextQ < qPos) {
        QUOTE_CHARS.lastIndex = qPos;
        nextQ = QUOTE_CHARS.test(text) ? QUOTE_CHARS.lastIndex - 1 : Number.POSITIVE_INFINITY;
      }
      if (nextQ >= j) {
        if (qPos < j) qPos = j;
        break;
      }
      const c = text.charCodeAt(nextQ);
      qPos = nextQ + 1;
      if (c === 0x22) straight = !straight;
      else if (c === 0x201c || c === 0xab || c === 0x300c || c === 0x300e) depth++;
      else if (c === 0x201d || c === 0xbb || c === 0x300d || c === 0x300f)
        depth = depth > 0 ? depth - 1 : 0;
      else if (c === 0x0a) {
        straight = false;
        depth = 0;
      }
    }
    if ((straight || depth > 0) && quoteContinues(text, j, to, straight)) continue;
    if (endsHere(text, i, run, j, to, abbr.prefix, abbr.final, lang)) {
      push(segStart, j);
      segStart = j;
    }
  }
  push(segStart, to);
  return out;
}

/**
 * Inside a quotation, a full stop does not end the sentence when the quotation goes on
 * to close with a comma and an attribution: `"It is quiet. You can hear it," she said.`
 */
function quoteContinues(text: string, j: number, to: number, straight: boolean): boolean {
  const limit = Math.min(to, j + 400);
  for (let k = j; k < limit; k++) {
    const c = text[k];
    if (c === "\n") return false;
    const closes = straight ? c === '"' : c === "”" || c === "»" || c === "」" || c === "』";
    if (!closes) continue;
    return /[,，、]\s*$/.test(text.slice(Math.max(j, k - 3), k));
  }
  return false;
}

/** A single line break ends a sentence unless it looks like a hard wrap inside one. */
function lineBreakEnds(text: string, i: number, j: number): boolean {
  const prev = text[i - 1] ?? "";
  const next = text[j] ?? "";
  if (/[\p{Ll},;:\-–]/u.test(prev) && IS_LOWER.test(next)) return false;
  // Caseless scripts (Arabic, CJK...): a long line that stops mid-sentence and goes on
  // with a letter is a hard wrap; a short one is a heading.
  if (isCaseless(next) && (isCaseless(prev) || /[\p{N},،;؛:%]/u.test(prev))) {
    const lineStart = text.lastIndexOf("\n", i - 1) + 1;
    return i - lineStart < 50;
  }
  return true;
}

function endsHere(
  text: string,
  i: number,
  run: string,
  j: number,
  to: number,
  prefix: ReadonlySet<string>,
  final: ReadonlySet<string>,
  lang: string,
): boolean {
  if (CJK_END.test(run)) return true;
  if (run.includes("۔")) return true;
  const next = text[j] ?? "";
  const prev = text[i - 1] ?? "";
  const atEnd = j >= to;
  const spaced = atEnd || isSpaceAt(text, j);
  const isDot = run === ".";
  if (!spaced) {
    // Glued: "بها.الأسماك" ends a sentence; "3.5", "Node.js", "U.S" do not.
    if (IS_DIGIT.test(prev) && IS_DIGIT.test(next)) return false;
    if (!IS_LETTER.test(prev) && prev !== "" && !/[)"”»]/.test(prev)) return false;
    if (isCaseless(next)) return isCaseless(prev) || /[)"”»]/.test(prev) || prev === "";
    if (IS_UPPER.test(next) && IS_LOWER.test(text[j + 1] ?? "")) {
      const w = wordBefore(text, i);
      return w.length >= 2 && !w.includes(".") && IS_LOWER.test(prev);
    }
    if (!isDot && IS_UPPER.test(next)) return true;
    return false;
  }
  if (atEnd) return true;
  // Find the next word after whitespace.
  let k = j;
  while (k < to && isSpaceAt(text, k)) k++;
  const after = text.slice(k, Math.min(k + 30, to));
  const n0 = after[0] ?? "";
  // A lower-case continuation never starts a new sentence ("approx. five", "Yahoo! said").
  if (IS_LOWER.test(n0)) return false;
  if (!isDot) return true;
  const before = wordBefore(text, i);
  const b0 = before.charCodeAt(0);
  const w = (
    b0 === 0x2e || b0 === 0x2d || b0 === 0x27 ? before.replace(/^[.\-']+/, "") : before
  ).toLowerCase();
  if (w === "") return true;
  if (prefix.has(w)) return false;
  const nextWord = WORD_AFTER.exec(after)?.[0] ?? "";
  const opener = SENTENCE_OPENERS.has(nextWord.toLowerCase()) && IS_UPPER.test(n0);
  // Ordinal day before a month ("26. Januar").
  if (/^\d{1,2}$/.test(w) && MONTH_AFTER_ORDINAL.has(nextWord.toLowerCase()) && lang === "de")
    return false;
  if (final.has(w)) return opener;
  // Initials: "J. K. Rowling", dotted acronyms "U.N.".
  if (/^\p{Lu}$/u.test(before) || /^(\p{L}\.)+\p{L}$/u.test(before)) return opener;
  return true;
}
