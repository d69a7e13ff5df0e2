/**
 * Abbreviation tables per language, as data, for the sentence splitter.
 * Entries are lower-cased and written without their final dot ("u.s" for "U.S.").
 *
 * - `prefix`: abbreviations that are (almost) never the end of a sentence: titles,
 *   month abbreviations before a day, "No." before a number. A dot after them never
 *   ends a sentence.
 * - `final`: abbreviations that often end a sentence ("Inc.", "U.S.", "etc."). A dot
 *   after them ends a sentence only when the next word is a capitalised common
 *   sentence opener ("The", "He", "But"...).
 */
export interface AbbreviationTable {
  prefix: ReadonlySet<string>;
  final: ReadonlySet<string>;
}

function set(s: string): ReadonlySet<string> {
  return new Set(s.split(/\s+/).filter((w) => w.length > 0));
}

const common = {
  prefix: "e.g i.e cf vs approx ca no nos vol art fig p pp ed eds",
  final: "etc u.s u.k u.n e.u u.s.a a.m p.m d.c",
};

const TABLES: Record<string, { prefix: string; final: string }> = {
  en: {
    prefix: `mr mrs ms dr prof sr st gen col lt maj sgt capt cmdr adm gov sen rep rev hon pres supt insp
      det atty mt ft jan feb mar apr jun jul aug sep sept oct nov dec est dept univ assn bros messrs al`,
    final: "inc ltd co corp llc plc jr bros",
  },
  fr: {
    prefix: `m mm mme mmes mlle mlles dr pr me mgr st ste av bd janv févr fév avr juil sept oct nov déc
      env p.ex n° ex`,
    final: "cie etc",
  },
  es: {
    prefix: `sr sres sra sras srta dr dra lic ing ud uds d dña dn ene feb abr jun jul ago sept oct nov dic
      aprox núm pág av avda gral`,
    final: "ee.uu cía etc s.a",
  },
  pt: {
    prefix: `sr sra srs dr dra prof eng jan fev abr mai jun jul ago set out nov dez aprox nº pág av`,
    final: "ltda etc s.a eua",
  },
  de: {
    prefix: `dr prof nr str bzw z.b ca vgl hr fr jan feb märz apr jun jul aug sep sept okt nov dez abs
      u.a d.h s.o s.u evtl ggf inkl bspw`,
    final: "usw etc gmbh ag",
  },
  it: {
    prefix: "sig sigg dott dr prof ing avv gen on gen feb mar apr mag giu lug ago set ott nov dic",
    final: "ecc spa",
  },
  ru: {
    prefix: `т.е т.к т.н им ул пр просп пер д кв проф акад доц см стр рис напр
      янв февр фев апр авг сент окт нояб дек ген`,
    final: "г гг т.д т.п др вв ст",
  },
  ar: {
    // د. (doctor) and أ. (professor) before a name.
    prefix: "د أ",
    final: "",
  },
};

const cache = new Map<string, AbbreviationTable>();

/** The abbreviation table for a language (common entries plus the language's own). */
export function abbreviations(lang: string): AbbreviationTable {
  const hit = cache.get(lang);
  if (hit !== undefined) return hit;
  const t = TABLES[lang];
  const table: AbbreviationTable = {
    prefix: set(`${common.prefix} ${t?.prefix ?? TABLES.en?.prefix ?? ""}`),
    final: set(`${common.final} ${t?.final ?? TABLES.en?.final ?? ""}`),
  };
  cache.set(lang, table);
  return table;
}

/**
 * Capitalised words that typically open a sentence, per language; after a `final`
 * abbreviation they tell the splitter a new sentence starts.
 */
export const SENTENCE_OPENERS: ReadonlySet<string> =
  set(`the a an he she it they we i this that these those
  but and however in on at his her its their there after before when while meanwhile also yet so
  le la les il elle ils elles nous on ce cette mais et en dans selon
  el la los las él ella ellos pero y en según este esta
  o a os as ele ela eles mas e em segundo
  der die das er sie es wir aber und in am nach
  он она они мы это но и в по однако`);
