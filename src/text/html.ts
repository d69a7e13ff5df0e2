/**
 * HTML to text with `htmlparser2`'s streaming parser (no DOM is built): a real HTML
 * tokenizer gets quoted attributes (`title="a>b"`), comments, CDATA, raw-text elements
 * and the full HTML5 entity table right, and it is fast enough for the ingest's CPU
 * budget. On top of it, our rules: keep the article's paragraphs, drop scripts, styles,
 * navigation, headers, footers, forms, asides, hidden elements and share/related/
 * newsletter blocks; prefer the page's `<article>` (else `<main>`, else `<body>`).
 * Pure, never throws.
 */
import { Parser } from "htmlparser2";

/** Elements whose whole content is never article text. */
const DROP = new Set([
  "head",
  "script",
  "style",
  "noscript",
  "template",
  "svg",
  "math",
  "nav",
  "header",
  "footer",
  "aside",
  "form",
  "iframe",
  "object",
  "button",
  "select",
  "textarea",
  "figure",
  "figcaption",
  "menu",
  "dialog",
  // Ruby annotations (pronunciation) are not part of the sentence.
  "rt",
  "rp",
]);

/** Elements that end a paragraph. */
const BLOCK = new Set([
  "p",
  "div",
  "br",
  "hr",
  "h1",
  "h2",
  "h3",
  "h4",
  "h5",
  "h6",
  "li",
  "ul",
  "ol",
  "tr",
  "table",
  "section",
  "article",
  "blockquote",
  "pre",
  "dd",
  "dt",
  "dl",
  "main",
  "address",
  "center",
  "body",
  "details",
  "summary",
  "caption",
]);

/** Phrasing elements: their tags separate nothing (`<b>bo</b>ld` is one word). */
const INLINE = new Set([
  "a",
  "abbr",
  "b",
  "bdi",
  "bdo",
  "cite",
  "code",
  "data",
  "del",
  "dfn",
  "em",
  "font",
  "i",
  "ins",
  "kbd",
  "mark",
  "q",
  "ruby",
  "s",
  "samp",
  "small",
  "span",
  "strong",
  "sub",
  "sup",
  "time",
  "u",
  "var",
  "wbr",
  "label",
  "nobr",
]);

/** Never dropped by class or role: dropping them would lose the whole article. */
const KEEP_ALWAYS = new Set(["html", "body", "article", "main"]);

/** ARIA landmark roles that are page furniture, not the article. */
const DROP_ROLES = new Set([
  "navigation",
  "banner",
  "contentinfo",
  "complementary",
  "search",
  "menu",
  "menubar",
  "dialog",
  "alert",
]);

/**
 * A class or id token naming a furniture block: share bars, related links,
 * newsletters, comments, breadcrumbs, adverts, cookie banners, sidebars.
 */
const FURNITURE =
  /^(?:nav|navbar|navigation|menu|footer|masthead|topbar|share|sharing|social|socials|related|breadcrumbs?|newsletter|comments?|cookies?|advert|adverts|advertisement|ads?|promo|sidebar|subscribe|paywall|byline-share|tags|most-read|trending)(?:$|[-_])|[-_](?:nav|navbar|navigation|menu|footer|share|sharing|social|related|breadcrumbs?|newsletter|comments|cookies?|advert|advertisement|sidebar|promo|paywall)$/i;

export interface HtmlText {
  text: string;
  /** The page's headline (first h1 of the article, else of the page, else <title>), "" when none. */
  title: string;
}

/** True when an element's attributes mark it as hidden or as page furniture. */
function isFurniture(name: string, a: Record<string, string>): boolean {
  if (KEEP_ALWAYS.has(name)) return false;
  if (a.hidden !== undefined || a["aria-hidden"] === "true") return true;
  const role = a.role;
  if (role !== undefined && DROP_ROLES.has(role.trim().toLowerCase())) return true;
  const style = a.style;
  if (style !== undefined && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style)) return true;
  for (const key of ["class", "id"] as const) {
    const v = a[key];
    if (v === undefined || v === "") continue;
    for (const token of v.split(/\s+/)) if (token !== "" && FURNITURE.test(token)) return true;
  }
  return false;
}

// Piece kinds in the output stream.
const TEXT = 0;
const BREAK = 1;
const HEADING = 2;

interface Range {
  from: number;
  to: number;
  chars: number;
}

/** A block element's piece range, nesting depth and paragraph text. */
interface Container extends Range {
  depth: number;
  /** Paragraph characters inside it, `pChars` at its start while it is open. */
  p: number;
}

const HTML_SPACE = /[ \t\n\f\r]+/g;

/** Elements that can hold an article's paragraphs in a page without <article>/<main>. */
const CONTAINER = new Set(["div", "section", "td", "body", "center", "blockquote", "font"]);

/** Convert an HTML page or fragment to plain text with one paragraph per line. */
export function htmlToText(html: string): HtmlText {
  try {
    return convert(html);
  } catch {
    // The parser does not throw on bad markup; this guards against the unforeseen.
    return { text: "", title: "" };
  }
}

function convert(html: string): HtmlText {
  const kinds: number[] = [];
  const texts: string[] = [];
  // Open elements that drop their content (a stack of depths, so nesting is counted).
  let drop = 0;
  const dropStack: boolean[] = [];
  let cdata = false;
  let inTitle = false;
  let titleSeen = false;
  let titleTag = "";
  // h1: its text while open, whether it is in the content, and the first ones seen.
  let h1Depth = 0;
  let h1Text = "";
  let h1InContent = false;
  let h1InArticle = false;
  let firstH1Article = "";
  let firstH1Content = "";
  let firstH1Any = "";
  // Top-level <article> and <main> elements as ranges of pieces.
  let articleDepth = 0;
  let mainDepth = 0;
  // Ranges still open (a holder object, since the parser's callbacks assign them).
  const opened: { article: Range | null; main: Range | null } = { article: null, main: null };
  const articles: Range[] = [];
  const mains: Range[] = [];
  let chars = 0;
  // Paragraph text: its running total, and per container element how much it holds.
  let pDepth = 0;
  let pChars = 0;
  const containers: Container[] = [];
  const openContainers: Array<Container | null> = [];

  const brk = (): void => {
    if (kinds.length > 0 && kinds[kinds.length - 1] !== BREAK) {
      kinds.push(BREAK);
      texts.push("");
    }
  };

  const parser = new Parser(
    {
      onopentag(name, attribs) {
        const dropped = DROP.has(name) || isFurniture(name, attribs);
        dropStack.push(dropped);
        if (dropped) drop++;
        // Only the document's first <title> (an <svg> has its own).
        if (name === "title" && !titleSeen) inTitle = true;
        if (name === "h1") {
          if (h1Depth === 0) {
            h1Text = "";
            h1InContent = drop === 0;
            h1InArticle = articleDepth > 0 || mainDepth > 0;
          }
          h1Depth++;
        }
        if (drop > 0) return;
        if (name === "article") {
          if (articleDepth === 0) opened.article = { from: kinds.length, to: kinds.length, chars };
          articleDepth++;
        } else if (name === "main") {
          if (mainDepth === 0) opened.main = { from: kinds.length, to: kinds.length, chars };
          mainDepth++;
        }
        if (name === "p") pDepth++;
        if (BLOCK.has(name)) brk();
        else if (!INLINE.has(name)) pushSpace();
        openContainers.push(
          CONTAINER.has(name)
            ? { from: kinds.length, to: 0, chars: 0, depth: openContainers.length, p: pChars }
            : null,
        );
      },
      onclosetag(name) {
        const dropped = dropStack.pop() === true;
        if (name === "title" && inTitle) {
          inTitle = false;
          titleSeen = true;
        }
        if (name === "h1" && h1Depth > 0) {
          h1Depth--;
          if (h1Depth === 0) {
            const t = h1Text.replace(/\s+/g, " ").trim();
            if (t !== "") {
              if (firstH1Any === "") firstH1Any = t;
              if (h1InContent && firstH1Content === "") firstH1Content = t;
              if (h1InArticle && firstH1Article === "") firstH1Article = t;
              if (h1InContent && drop === 0) {
                brk();
                kinds.push(HEADING);
                texts.push(t);
                brk();
              }
            }
          }
        }
        if (dropped) {
          drop--;
          return;
        }
        if (drop > 0) return;
        if (name === "p" && pDepth > 0) pDepth--;
        const c = openContainers.pop();
        if (c != null) {
          c.to = kinds.length;
          c.p = pChars - c.p;
          containers.push(c);
        }
        if (name === "article" && articleDepth > 0) {
          articleDepth--;
          const r = opened.article;
          if (articleDepth === 0 && r !== null) {
            articles.push({ from: r.from, to: kinds.length, chars: chars - r.chars });
            opened.article = null;
          }
        } else if (name === "main" && mainDepth > 0) {
          mainDepth--;
          const r = opened.main;
          if (mainDepth === 0 && r !== null) {
            mains.push({ from: r.from, to: kinds.length, chars: chars - r.chars });
            opened.main = null;
          }
        }
        if (BLOCK.has(name)) brk();
        else if (!INLINE.has(name)) pushSpace();
      },
      ontext(data) {
        if (cdata) return;
        if (inTitle) {
          titleTag += data;
          return;
        }
        if (h1Depth > 0) {
          h1Text += data;
          return;
        }
        if (drop > 0) return;
        kinds.push(TEXT);
        texts.push(data);
        const n = countNonSpace(data);
        chars += n;
        if (pDepth > 0) pChars += n;
      },
      oncdatastart() {
        cdata = true;
      },
      oncdataend() {
        cdata = false;
      },
    },
    { decodeEntities: true, recognizeCDATA: true },
  );

  function pushSpace(): void {
    if (drop === 0 && h1Depth === 0) {
      kinds.push(TEXT);
      texts.push(" ");
    }
  }

  parser.end(html);
  // Elements still open at the end of a truncated page close there.
  const end = kinds.length;
  for (const [r, list] of [
    [opened.article, articles],
    [opened.main, mains],
  ] as const)
    if (r !== null) list.push({ from: r.from, to: end, chars: chars - r.chars });

  const title =
    firstH1Article || firstH1Content || firstH1Any || titleTag.replace(/\s+/g, " ").trim();
  // The article with the most text (teaser cards are articles too), else <main>, else all.
  let range: Range = { from: 0, to: end, chars };
  const best = (list: Range[]): Range | null => {
    let b: Range | null = null;
    for (const r of list) if (r.chars > 0 && (b === null || r.chars > b.chars)) b = r;
    return b;
  };
  range = best(articles) ?? best(mains) ?? densest(containers, pChars) ?? range;

  const paras: string[] = [];
  let cur = "";
  // HTML's own whitespace only: normalizeText folds the Unicode spaces later.
  const flush = (): void => {
    const p = cur.replace(HTML_SPACE, " ").trim();
    if (p !== "") paras.push(p);
    cur = "";
  };
  for (let i = range.from; i < range.to; i++) {
    const k = kinds[i];
    if (k === TEXT) cur += texts[i];
    else if (k === BREAK) flush();
    else if (k === HEADING) {
      flush();
      // The headline is the record's title, not a paragraph of its text.
      if (texts[i] !== title) paras.push(texts[i] as string);
    }
  }
  flush();
  return { text: paras.join("\n\n"), title };
}

/**
 * A page without <article> or <main> (div soup): the deepest block that holds at least
 * 80% of the page's paragraph text, so side columns and the masthead fall away while
 * an article split over sibling blocks is kept whole. Null when there are no paragraphs.
 */
function densest(containers: readonly Container[], total: number): Range | null {
  if (total === 0) return null;
  let b: Container | null = null;
  for (const c of containers) {
    if (c.p < total * 0.8) continue;
    if (b === null || c.depth > b.depth || (c.depth === b.depth && c.to - c.from < b.to - b.from))
      b = c;
  }
  return b;
}

/** Letters, digits and punctuation in a text chunk (whitespace does not count). */
function countNonSpace(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x20 && c !== 0xa0) n++;
  }
  return n;
}
