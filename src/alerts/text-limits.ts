/**
 * Clean truncation for chat platforms' length limits. Lengths are counted in UTF-16 code
 * units (`string.length`), which is never less than the code points or characters the
 * platforms count, so a string that fits here fits there. A cut never splits a surrogate
 * pair or a grapheme cluster (emoji, flags, combining marks, Arabic tashkeel), and falls
 * on a word boundary (Intl.Segmenter, which knows Chinese and Thai words too) unless one
 * word alone is longer than the limit. Pure; never throws on any string.
 */

/** What a cut string ends with. */
export const ELLIPSIS = "…";

/** Characters past the limit that the segmenters look at, so a boundary at the limit is real. */
const LOOKAHEAD = 32;

const graphemes = new Intl.Segmenter(undefined, { granularity: "grapheme" });
const words = new Intl.Segmenter(undefined, { granularity: "word" });

/**
 * Replace lone surrogates with U+FFFD and drop C0/C1 controls other than tab and newline:
 * platforms reject or mangle them in JSON.
 */
export function cleanText(s: string): string {
  return s
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD")
    .replace(/\r\n?/g, "\n")
    .replace(/\p{Cc}/gu, (c) => (c === "\n" || c === "\t" ? c : ""));
}

/** Offsets (UTF-16) where a grapheme cluster ends, within `s.slice(0, limit)`. */
function graphemeEnds(window: string, limit: number): number[] {
  const out: number[] = [];
  for (const g of graphemes.segment(window)) {
    const end = g.index + g.segment.length;
    if (end > limit) break;
    // the last segment of a window cut short may be a partial cluster
    if (end === window.length && window.length > limit) break;
    out.push(end);
  }
  return out;
}

/** The largest word boundary (UAX #29, via Intl.Segmenter) in (0, limit], or 0. */
function lastWordBoundary(window: string, limit: number): number {
  let best = 0;
  for (const w of words.segment(window)) {
    if (w.index > limit) break;
    best = w.index;
  }
  return best;
}

/**
 * `s` cut to at most `max` UTF-16 code units, ellipsis included, at the last word boundary
 * (at a grapheme boundary only when one word fills the room), trailing spaces, commas and
 * dashes trimmed. Unchanged when it fits.
 * @example truncate("وقعت الصين وبيلاروسيا اتفاقية", 14) // "وقعت الصين…"
 */
export function truncate(s: string, max: number, ellipsis: string = ELLIPSIS): string {
  const text = cleanText(s);
  if (text.length <= max) return text;
  if (max <= 0) return "";
  if (max <= ellipsis.length) return ellipsis.slice(0, max);
  const room = max - ellipsis.length;
  const window = text.slice(0, room + LOOKAHEAD);
  const ends = graphemeEnds(window, room);
  const lastGrapheme = ends.length > 0 ? (ends[ends.length - 1] as number) : 0;
  const wordCut = lastWordBoundary(window, lastGrapheme);
  // never split a word: cut at the last word boundary (also a grapheme boundary); only a
  // single word longer than the room is cut between graphemes
  const cut = wordCut > 0 && ends.includes(wordCut) ? wordCut : lastGrapheme;
  // no dangling separator before the ellipsis: spaces, commas (also Arabic ، ؛), dashes, colons
  const head = text.slice(0, cut).replace(/[\s,;:،؛\-–—]+$/u, "");
  return `${head.length > 0 ? head : text.slice(0, cut)}${ellipsis}`;
}

/** UTF-8 byte length of a string (what a JSON body costs on the wire). */
export function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4;
        i++;
      } else n += 3;
    } else n += 3;
  }
  return n;
}
