/**
 * HTML to text: keeps the article's paragraphs, drops scripts, styles, navigation,
 * headers, footers, forms and asides. A small tag scanner, not a DOM: enough for
 * scraped news pages, and safe on malformed markup. Pure, never throws.
 */

const DROP_BLOCKS =
  /<(script|style|noscript|template|svg|nav|header|footer|aside|form|iframe|button|select|figure|figcaption|menu)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
const COMMENTS = /<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<!DOCTYPE[^>]*>|<\?[\s\S]*?\?>/gi;
const BLOCK_TAGS =
  /<\/?(p|div|br|hr|h[1-6]|li|ul|ol|tr|table|section|article|blockquote|pre|dd|dt|dl|main|address|center)\b[^>]*>/gi;
const ANY_TAG = /<\/?[a-zA-Z][^>]*>/g;

const ENTITIES: Readonly<Record<string, string>> = {
  amp: "&",
  lt: "<",
  gt: ">",
  quot: '"',
  apos: "'",
  nbsp: "\u00A0",
  ndash: "–",
  mdash: "—",
  hellip: "…",
  laquo: "«",
  raquo: "»",
  lsquo: "‘",
  rsquo: "’",
  ldquo: "“",
  rdquo: "”",
  sbquo: "‚",
  bdquo: "„",
  copy: "©",
  reg: "®",
  trade: "™",
  deg: "°",
  euro: "€",
  pound: "£",
  yen: "¥",
  cent: "¢",
  middot: "·",
  bull: "•",
  times: "×",
  divide: "÷",
  shy: "\u00AD",
  eacute: "é",
  egrave: "è",
  ecirc: "ê",
  agrave: "à",
  acirc: "â",
  ccedil: "ç",
  ocirc: "ô",
  ucirc: "û",
  ugrave: "ù",
  icirc: "î",
  iuml: "ï",
  euml: "ë",
  aacute: "á",
  iacute: "í",
  oacute: "ó",
  uacute: "ú",
  ntilde: "ñ",
  uuml: "ü",
  ouml: "ö",
  auml: "ä",
  szlig: "ß",
  Eacute: "É",
  Agrave: "À",
  Ccedil: "Ç",
  Ntilde: "Ñ",
  Uuml: "Ü",
  Ouml: "Ö",
  Auml: "Ä",
  atilde: "ã",
  otilde: "õ",
  iexcl: "¡",
  iquest: "¿",
  ordm: "º",
  ordf: "ª",
  zwj: "\u200D",
  zwnj: "\u200C",
  lrm: "\u200E",
  rlm: "\u200F",
};

/** Decode HTML character references (named ones from a short table, all numeric ones). */
export function decodeEntities(s: string): string {
  return s.replace(
    /&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/g,
    (whole, body: string) => {
      if (body[0] === "#") {
        const cp =
          body[1] === "x" || body[1] === "X"
            ? Number.parseInt(body.slice(2), 16)
            : Number.parseInt(body.slice(1), 10);
        if (!Number.isFinite(cp) || cp <= 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
          return "\uFFFD";
        return String.fromCodePoint(cp);
      }
      return ENTITIES[body] ?? whole;
    },
  );
}

export interface HtmlText {
  text: string;
  /** The page's headline (first h1, else <title>), "" when none. */
  title: string;
}

/** Convert an HTML page or fragment to plain text with one paragraph per line. */
export function htmlToText(html: string): HtmlText {
  let s = html.replace(COMMENTS, " ");
  const title =
    firstText(s, /<h1\b[^>]*>([\s\S]*?)<\/h1>/i) ||
    firstText(s, /<title\b[^>]*>([\s\S]*?)<\/title>/i);
  // Prefer the <article> (or <main>) element when the page has one.
  const article =
    /<article\b[^>]*>([\s\S]*)<\/article>/i.exec(s) ?? /<main\b[^>]*>([\s\S]*)<\/main>/i.exec(s);
  if (article?.[1] !== undefined && /\S/.test(article[1].replace(ANY_TAG, ""))) s = article[1];
  else {
    const body = /<body\b[^>]*>([\s\S]*)<\/body>/i.exec(s);
    if (body?.[1] !== undefined) s = body[1];
    s = s
      .replace(/<head\b[^>]*>[\s\S]*?<\/head>/gi, " ")
      .replace(/<title\b[^>]*>[\s\S]*?<\/title>/gi, " ");
  }
  // Repeat: nested drop blocks of the same tag.
  for (let i = 0; i < 3; i++) {
    const before = s.length;
    s = s.replace(DROP_BLOCKS, "\n");
    if (s.length === before) break;
  }
  s = s.replace(/<h1\b[^>]*>[\s\S]*?<\/h1>/gi, (h) =>
    title !== "" && stripTags(h) === title ? "\n" : `\n${h}\n`,
  );
  s = s.replace(/\s+/g, " ");
  s = s.replace(BLOCK_TAGS, "\n\n").replace(ANY_TAG, "");
  s = decodeEntities(s);
  return { text: s, title };
}

function stripTags(s: string): string {
  return decodeEntities(s.replace(ANY_TAG, " ")).replace(/\s+/g, " ").trim();
}

function firstText(s: string, re: RegExp): string {
  const m = re.exec(s);
  return m?.[1] === undefined ? "" : stripTags(m[1]);
}
