/**
 * Article clean-up: HTML to text, Unicode normalisation, boilerplate paragraphs
 * (share crumbs, "read more", cookie notices...) removed. Pure, never throws.
 */
import { BOILERPLATE_STARTS, TRAILING_CRUMBS } from "./data/boilerplate.ts";
import { htmlToText } from "./html.ts";
import { normalizeLine, normalizeText } from "./normalize.ts";

const SOCIAL =
  /^(?:facebook|twitter|x|whatsapp|telegram|linkedin|email|e-mail|print|reddit|pinterest|vk|weibo|wechat|微信|微博|qq|فيسبوك|تويتر|واتساب|تلغرام|بريد|طباعة|copy link|copy|link|messenger)$/i;
const ONE_WORD = new Set(
  BOILERPLATE_STARTS.filter(
    (p) => !/\s/.test(p.replace(/[:：]$/, "")) && !/[\p{Script=Han}]/u.test(p),
  ).map((p) => p.replace(/[:：]$/, "")),
);
const STARTS = [...BOILERPLATE_STARTS].sort((a, b) => b.length - a.length);
const escapeRe = (w: string): string => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// One test per line before the phrase-by-phrase check.
const ANY_START = new RegExp(`^(?:${STARTS.map(escapeRe).join("|")})`, "i");
const TRAILING = new RegExp(
  String.raw`([.!?؟。！？"”»)])\s*(?:${TRAILING_CRUMBS.map(escapeRe).join("|")})\s*[:：|]?\s*$`,
  "iu",
);
const BYLINE = /^(?:by|par|por|von|от|بقلم)\s+\p{Lu}[\p{L}.'’-]*(?:\s+\p{Lu}[\p{L}.'’-]*){0,3}$/u;

/** True when a paragraph is boilerplate rather than article text. */
export function isBoilerplate(line: string): boolean {
  if (line.length > 320) return false;
  const l = line.toLowerCase().trim();
  if (l.length === 0) return true;
  if (l.length > 300) return false;
  if (l.length < 120) {
    // A line of nothing but social-network names and separators.
    const parts = l.split(/[\s|·•/,:：]+/).filter((p) => p !== "");
    if (parts.length > 0 && parts.length < 10 && parts.every((p) => SOCIAL.test(p))) return true;
    if (BYLINE.test(line.trim())) return true;
  }
  if (!ANY_START.test(l)) return false;
  for (const p of STARTS) {
    if (!l.startsWith(p)) continue;
    const rest = l.slice(p.length);
    const key = p.replace(/[:：]$/, "");
    if (ONE_WORD.has(key)) {
      // "Share", "Share:", "مشاركة :", "Share | Facebook | Twitter" — not "Share prices fell".
      const words = rest.split(/[\s|·•/,:：\-–—]+/).filter((w) => w !== "");
      if (
        words.every((w) => SOCIAL.test(w) || !/\p{L}/u.test(w) || w === "this" || w === "article")
      )
        return true;
      continue;
    }
    if (
      /^[\p{L}\p{M}]/u.test(rest) &&
      !/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u.test(p)
    )
      continue;
    if (l.length <= 200 || /cookie|droits|derechos|rights|права|版权/.test(l)) return true;
  }
  return false;
}

export interface Cleaned {
  text: string;
  /** Title found in the HTML, "" when none or for plain-text input. */
  htmlTitle: string;
}

/** Clean raw text or HTML into the stored article text. */
export function cleanArticle(raw: string, isHtml: boolean): Cleaned {
  let htmlTitle = "";
  let s = raw;
  if (isHtml) {
    const h = htmlToText(raw);
    s = h.text;
    htmlTitle = normalizeLine(h.title);
  }
  s = normalizeText(s);
  const paras = s.split("\n");
  const kept: string[] = [];
  for (const p of paras) {
    if (p === "") {
      if (kept.length > 0 && kept[kept.length - 1] !== "") kept.push("");
      continue;
    }
    if (!isBoilerplate(p)) kept.push(p);
  }
  while (kept.length > 0 && kept[kept.length - 1] === "") kept.pop();
  s = kept.join("\n");
  // Only the tail can hold a glued crumb; testing the anchored regex there keeps it linear.
  const tailAt = Math.max(0, s.length - 60);
  const tail = s.slice(tailAt);
  const cut = tail.replace(TRAILING, "$1");
  if (cut !== tail) s = s.slice(0, tailAt) + cut;
  return { text: s.trim(), htmlTitle };
}
