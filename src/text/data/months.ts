/**
 * Month names and abbreviations per language (lower-cased, Arabic normalised),
 * mapped to month numbers. Used by dateline parsing.
 */
const TABLE: ReadonlyArray<readonly [number, string]> = [
  [
    1,
    "jan january janv janvier ene enero janeiro januar gennaio gen январь января янв يناير كانون الثاني",
  ],
  [
    2,
    "feb february févr fév février fevr fevrier febrero fev fevereiro februar febbraio февраль февраля фев февр فبراير شباط",
  ],
  [3, "mar march mars marzo março marco märz marz мар март марта مارس اذار"],
  [4, "apr april avr avril abr abril aprile апр апрель апреля ابريل نيسان"],
  [5, "may mai mayo maio maggio mag май мая مايو ايار"],
  [6, "jun june juin junio junho juni giugno giu июн июнь июня يونيو يونيه حزيران"],
  [7, "jul july juil juillet julio julho juli luglio lug июл июль июля يوليو يوليه تموز"],
  [8, "aug august août aout ago agosto agost авг август августа اغسطس اب"],
  [
    9,
    "sep sept september septembre septiembre setiembre set setembro settembre сен сент сентябрь сентября سبتمبر ايلول",
  ],
  [
    10,
    "oct october octobre octubre out outubro okt oktober ottobre ott окт октябрь октября اكتوبر تشرين الاول",
  ],
  [11, "nov november novembre noviembre novembro нояб ноя ноябрь ноября نوفمبر تشرين الثاني"],
  [
    12,
    "dec december déc décembre dic diciembre dez dezembro dezember dicembre дек декабрь декабря ديسمبر كانون الاول",
  ],
];

/** Lower-cased month word → month number (1-12). Multi-word Arabic names included. */
export const MONTHS: ReadonlyMap<string, number> = (() => {
  const m = new Map<string, number>();
  for (const [n, words] of TABLE) {
    // Multi-word Levantine names are listed as two words; join the known pairs.
    const parts = words.split(" ");
    for (let i = 0; i < parts.length; i++) {
      const w = parts[i] ?? "";
      if ((w === "كانون" || w === "تشرين") && parts[i + 1] !== undefined) {
        m.set(`${w} ${parts[i + 1]}`, n);
        i++;
        continue;
      }
      if (w !== "" && !m.has(w)) m.set(w, n);
    }
  }
  return m;
})();

/** A regex alternation of all month words, longest first (for use inside a RegExp). */
export const MONTH_ALTERNATION: string = [...MONTHS.keys()]
  .sort((a, b) => b.length - a.length)
  .map((w) =>
    w
      .replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
      .replace(/ا/g, "[اأإآ]")
      .replace(/ي$/, "[يى]"),
  )
  .join("|");
