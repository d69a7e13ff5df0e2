/**
 * Wire datelines at the start of an article: Xinhua in each of its languages and the
 * big agencies' styles. Returns the parsed dateline and where the body starts.
 */
import { MONTH_ALTERNATION, MONTHS } from "./data/months.ts";
import { normalizeArabic } from "./normalize.ts";

export interface Dateline {
  place: string | null;
  date: string | null;
  agency: string | null;
}

export interface DatelineMatch {
  dateline: Dateline;
  /** Offset in the text where the body (the first sentence) starts. */
  end: number;
}

const M = MONTH_ALTERNATION;
// "--", "—", "-", ":", ".", or EFE's ".-".
const SEP = String.raw`\s*(?:\.?\s*(?:--|—|–|-|:)|\.)?\s*`;
const AGENCY = String.raw`(?:\(\s*([^()\n]{1,30}?)\s*\)|/\s*([^/\n]{1,30}?)\s*/)`;
const PLACE_LATIN = String.raw`(\p{Lu}[\p{L}\p{M}'’.\-]*(?: \p{Lu}[\p{L}\p{M}'’.\-]*){0,3}(?:, \p{Lu}[\p{L}\p{M}.]*(?: \p{Lu}[\p{L}\p{M}.]*)?)??)`;
const DATE_DM = String.raw`(\d{1,2})\.?\s+(${M})\.?(?:,?\s+(\d{4}))?`;
const DATE_MD = String.raw`(${M})\.?\s+(\d{1,2})(?:,?\s+(\d{4}))?`;

// "BEIJING, Jan. 26 (Xinhua) --", "PÉKIN, 26 janvier (Xinhua) --", "ПЕКИН, 26 января /Синьхуа/ --",
// "LONDON (Reuters) -", "PARIS, 26 janvier 2021 (AFP) -".
const LATIN = new RegExp(
  String.raw`^${PLACE_LATIN}(?:\s*,\s*(?:${DATE_DM}|${DATE_MD}))?\s*${AGENCY}${SEP}`,
  "iu",
);
// "(Reuters) -", "(AFP) -", "(AP) —" with no place.
const AGENCY_ONLY = new RegExp(String.raw`^${AGENCY}\s*(?:--|—|–|-)\s*`, "u");
// "بكين 26 يناير 2021 (شينخوا)", "القاهرة (رويترز) -".
const ARABIC = new RegExp(
  String.raw`^([\p{Script=Arabic}]+(?: [\p{Script=Arabic}]+){0,2}?)\s*[،,-]?\s*(?:(\d{1,2})\s+(${M})\s*(\d{4})?\s*)?[(（]\s*([^()（）\n]{2,25}?)\s*[)）]${SEP}`,
  "u",
);
// Russian agencies without brackets: "МОСКВА, 26 янв — РИА Новости." (an author may
// follow: "— РИА Новости, Анна Иванова."), "МОСКВА. 26 января. ИНТЕРФАКС -". TASS's
// "МОСКВА, 26 января. /ТАСС/." is an AGENCY in slashes and goes through LATIN.
const RU_AGENCY = String.raw`РИА\s+Новости|РИА\s+"Новости"|ТАСС|ИТАР-ТАСС|Интерфакс|ИНТЕРФАКС(?:-\p{Lu}+)?|Sputnik|ПРАЙМ|ИА\s+Регнум|Регнум|REGNUM|RT|Газета\.Ru|Известия`;
const RU_WIRE = new RegExp(
  String.raw`^(\p{Lu}[\p{L}\-]*(?: \p{Lu}[\p{L}\-]*){0,2})\s*[.,]\s*${DATE_DM}\.?\s*(?:[—–-]\s*)?(${RU_AGENCY})(?:\s*,\s*(?:\p{Lu}[\p{L}.\-]*)(?: \p{Lu}[\p{L}.\-]*){0,2})?\s*(?:\.\s*(?:[—–-]\s*)?|[—–-]\s*|:\s*)`,
  "u",
);
// Arabic agencies without brackets, at the start, alone or after a place (and a date):
// "القاهرة - أ ف ب:", "دبي - رويترز -", "عواصم - وكالات:", "أ ف ب -".
const AR_AGENCY = String.raw`[اأإ]\s*\.?\s*ف\s*\.?\s*ب|رويترز|وكالات|د\s*\.?\s*ب\s*\.?\s*[اأ]|[اأ]\s*ش\s*[اأ]|[اأإ]\s*\.?\s*ب|الأناضول|الاناضول|شينخوا|سبوتنيك|واس|وام|قنا|كونا|بترا|سانا|سبأ`;
const ARABIC_BARE = new RegExp(
  String.raw`^(?:([\p{Script=Arabic}]+(?: [\p{Script=Arabic}]+){0,2}?)\s*[،,]?\s*(?:(\d{1,2})\s+(${M})\s*(\d{4})?\s*)?[-–—:]\s*)?(${AR_AGENCY})\s*(?:[-–—:.،]+\s*|\n\s*)`,
  "u",
);
// "新华社北京1月26日电（记者 张三）".
const CHINESE =
  /^(新华社|中新社|中新网|本报|人民网|人民日报|新华网|央视网|中国日报网)([\p{Script=Han}]{1,10}?)(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:电|讯)(?:\s*[（(][^）)\n]{0,40}[）)])?[\s：:，,]*/u;

/** Parse a dateline at the very start of `text`; null when there is none. */
export function extractDateline(text: string, publishedAt?: string): DatelineMatch | null {
  try {
    return parse(
      text.slice(0, 300).replace(/[٠-٩]/g, (d) => String(d.charCodeAt(0) - 0x660)),
      publishedAt,
    );
  } catch {
    return null;
  }
}

function parse(head: string, publishedAt?: string): DatelineMatch | null {
  let m = CHINESE.exec(head);
  if (m !== null) {
    return done(
      m[0].length,
      m[2] ?? null,
      m[1] ?? null,
      num(m[3]),
      num(m[4]),
      num(m[5]),
      publishedAt,
    );
  }
  m = ARABIC.exec(head);
  if (m !== null && looksLikeAgency(m[5] ?? "")) {
    const month = m[3] !== undefined ? MONTHS.get(monthKey(m[3])) : undefined;
    return done(m[0].length, m[1] ?? null, m[5] ?? null, num(m[4]), month, num(m[2]), publishedAt);
  }
  m = ARABIC_BARE.exec(head);
  if (m !== null) {
    const month = m[3] !== undefined ? MONTHS.get(monthKey(m[3])) : undefined;
    return done(m[0].length, m[1] ?? null, m[5] ?? null, num(m[4]), month, num(m[2]), publishedAt);
  }
  m = RU_WIRE.exec(head);
  if (m !== null && isPlace(m[1] ?? "", true, true)) {
    const month = MONTHS.get(monthKey(m[3] ?? ""));
    return done(m[0].length, m[1] ?? null, m[5] ?? null, num(m[4]), month, num(m[2]), publishedAt);
  }
  m = LATIN.exec(head);
  if (
    m !== null &&
    looksLikeAgency(m[8] ?? m[9] ?? "", true) &&
    isPlace(m[1] ?? "", m[3] !== undefined || m[5] !== undefined, /[-—–]/.test(m[0].slice(-6)))
  ) {
    const agency = m[8] ?? m[9] ?? null;
    let day: number | undefined;
    let month: number | undefined;
    let year: number | undefined;
    if (m[3] !== undefined) {
      day = num(m[2]);
      month = MONTHS.get(monthKey(m[3]));
      year = num(m[4]);
    } else if (m[5] !== undefined) {
      month = MONTHS.get(monthKey(m[5]));
      day = num(m[6]);
      year = num(m[7]);
    }
    return done(m[0].length, m[1] ?? null, agency, year, month, day, publishedAt);
  }
  m = AGENCY_ONLY.exec(head);
  if (m !== null && looksLikeAgency(m[1] ?? m[2] ?? "", true)) {
    return done(
      m[0].length,
      null,
      m[1] ?? m[2] ?? null,
      undefined,
      undefined,
      undefined,
      publishedAt,
    );
  }
  return null;
}

function monthKey(s: string): string {
  return normalizeArabic(s.toLowerCase().replace(/\.$/, ""));
}

function num(s: string | undefined): number | undefined {
  if (s === undefined) return undefined;
  const n = Number.parseInt(s, 10);
  return Number.isFinite(n) ? n : undefined;
}

/** An agency name is short, has a letter, and (in cased scripts) starts with a capital. */
function looksLikeAgency(s: string, cased = false): boolean {
  const t = s.trim();
  if (t.length < 2 || t.length > 30) return false;
  if (!/\p{L}/u.test(t)) return false;
  if (cased && /^\p{Ll}/u.test(t)) return false;
  return t.split(/\s+/).length <= 4;
}

/**
 * A Latin/Cyrillic dateline place: written in capitals ("BEIJING"), or capitalised and
 * short when a date or a dash after the agency confirms the dateline ("Beijing, Jan 26 (Reuters) -").
 */
function isPlace(s: string, hasDate: boolean, hasDash: boolean): boolean {
  const letters = s.replace(/[^\p{L}]/gu, "");
  if (letters.length < 2) return false;
  const upper = letters.replace(/[^\p{Lu}]/gu, "").length;
  if (upper / letters.length > 0.6) return true;
  return (hasDate || hasDash) && /^\p{Lu}/u.test(s) && s.split(/\s+/).length <= 3;
}

function done(
  end: number,
  place: string | null,
  agency: string | null,
  year: number | undefined,
  month: number | undefined,
  day: number | undefined,
  publishedAt: string | undefined,
): DatelineMatch {
  return {
    end,
    dateline: {
      place: place === null ? null : place.trim().replace(/[،,]$/, "") || null,
      agency: agency === null ? null : agency.trim() || null,
      date: isoDate(year, month, day, publishedAt),
    },
  };
}

function isoDate(
  year: number | undefined,
  month: number | undefined,
  day: number | undefined,
  publishedAt: string | undefined,
): string | null {
  if (month === undefined || day === undefined || day < 1 || day > 31) return null;
  let y = year;
  if (y === undefined) {
    const pub = publishedAt === undefined ? Number.NaN : Date.parse(publishedAt);
    if (!Number.isFinite(pub)) return null;
    // The year (publication year, or the one before/after) that puts the date closest
    // to the publication time: a late-December dateline on an early-January article.
    const py = new Date(pub).getUTCFullYear();
    let best = py;
    for (const cand of [py - 1, py + 1]) {
      if (
        Math.abs(Date.UTC(cand, month - 1, day) - pub) <
        Math.abs(Date.UTC(best, month - 1, day) - pub)
      )
        best = cand;
    }
    y = best;
  }
  const d = new Date(Date.UTC(y, month - 1, day));
  if (d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return `${String(y).padStart(4, "0")}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}
