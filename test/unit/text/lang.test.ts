import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { extractKeywords, prepareDocument } from "../../../src/text/index.ts";
import { detectLanguage } from "../../../src/text/lang.ts";

/** A labelled set from fixtures/lang: lang, kind (s = headline, l = paragraph), text. */
function samples(file: string): Array<[string, string, string]> {
  return readFileSync(join(import.meta.dirname, "..", "..", "..", "fixtures", "lang", file), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "" && !l.startsWith("#"))
    .map((l) => l.split("\t") as [string, string, string]);
}

describe("detectLanguage", () => {
  it.each([
    ["ar", "دعا الرئيس الصيني اليوم إلى دفع التعاون بين البلدين في مختلف المجالات"],
    [
      "en",
      "The minister said that the plan was approved by the council on Monday and it will start soon.",
    ],
    ["zh", "国家主席习近平26日同白俄罗斯总统卢卡申科通电话。"],
    ["ja", "東京都は26日、新しい計画を発表しました。これは来年から始まります。"],
    [
      "fr",
      "Le ministre a déclaré que le plan a été approuvé par le conseil et qu'il sera mis en place dans les prochains mois.",
    ],
    [
      "es",
      "El ministro dijo que el plan fue aprobado por el consejo y que se pondrá en marcha en los próximos meses.",
    ],
    [
      "pt",
      "O ministro disse que o plano foi aprovado pelo conselho e que será implementado nos próximos meses, segundo a agência.",
    ],
    [
      "de",
      "Der Minister sagte, dass der Plan vom Rat genehmigt wurde und in den nächsten Monaten umgesetzt wird.",
    ],
    ["ru", "Министр заявил, что план был одобрен советом и будет реализован в ближайшие месяцы."],
  ])("detects %s", (lang, text) => {
    expect(detectLanguage(text)).toBe(lang);
  });

  it("says und when unsure", () => {
    expect(detectLanguage("")).toBe("und");
    expect(detectLanguage("12345 !!! ...")).toBe("und");
    expect(detectLanguage("Xinhua")).toBe("und");
  });

  it.each([
    ["en", "Dock workers end strike after overtime deal"],
    ["fr", "Les dockers mettent fin à la grève après un accord"],
    ["es", "Los estibadores ponen fin a la huelga tras un acuerdo"],
    ["pt", "Estivadores põem fim à greve depois de acordo"],
    ["de", "Hafenarbeiter beenden Streik nach Einigung über Überstunden"],
    ["ru", "Докеры прекратили забастовку после соглашения"],
    ["zh", "码头工人达成协议后结束罢工"],
    ["ja", "港湾労働者が合意しストを終了"],
    ["ar", "عمال الموانئ ينهون الإضراب بعد اتفاق"],
    ["fa", "کارگران بندر پس از توافق اعتصاب را پایان دادند"],
    ["ur", "بندرگاہ کے مزدوروں نے معاہدے کے بعد ہڑتال ختم کر دی"],
  ])("detects a %s headline", (lang, text) => {
    expect(detectLanguage(text)).toBe(lang);
  });

  it("tells Persian and Urdu from Arabic by their own letters, even once in a headline", () => {
    expect(detectLanguage("الرئيس يزور المدينة اليوم")).toBe("ar");
    expect(detectLanguage("رئیس جمهور امروز از شهر بازدید کرد")).toBe("fa");
    // Urdu also uses the Persian letters; its own (ے ں ہ ٹ ڈ ڑ ھ) decide.
    expect(detectLanguage("صدر آج شہر کا دورہ کریں گے")).toBe("ur");
  });

  it("keeps und for text with no language in it", () => {
    for (const t of [
      "NATO G7 OPEC",
      "https://example.com/a/b",
      "user@example.org",
      "#news #2026",
      "iPhone 17 Pro",
      "Ok",
    ])
      expect(detectLanguage(t)).toBe("und");
  });

  it("says und for Latin-script languages it has no profile for, rather than a near miss", () => {
    for (const t of [
      "Pemerintah kota mengumumkan rencana baru untuk mengurangi kemacetan di pusat kota. Menurut wali kota, jalur bus akan diperluas dan tarif parkir akan dinaikkan mulai bulan depan.",
      "Belediye, şehir merkezindeki trafiği azaltmak için yeni bir plan açıkladı. Belediye başkanına göre otobüs hatları genişletilecek ve otopark ücretleri artırılacak.",
      "Władze miasta ogłosiły nowy plan ograniczenia korków w centrum. Według burmistrza linie autobusowe zostaną wydłużone, a opłaty za parkowanie wzrosną.",
      "Pemerintah umumkan rencana baru atasi kemacetan kota",
      "Belediye trafiği azaltmak için yeni plan açıkladı",
    ])
      expect(detectLanguage(t)).toBe("und");
  });

  it("never throws", () => {
    for (const t of [
      "\uD800",
      "a\uDC00b c d",
      "constructor toString __proto__",
      "é".repeat(10000),
      "ß ß ß",
    ])
      expect(typeof detectLanguage(t)).toBe("string");
  });

  // The labelled sets (fixtures/lang); `npm run eval:lang` prints the table beside franc-min.
  it.each(["samples.tsv", "holdout.tsv"])(
    "is right on at least 95%% of %s and 90%% of each language",
    (file) => {
      const rows = samples(file);
      const per = new Map<string, [number, number]>();
      for (const [lang, , text] of rows) {
        const r = per.get(lang) ?? [0, 0];
        per.set(lang, [r[0] + (detectLanguage(text) === lang ? 1 : 0), r[1] + 1]);
      }
      let ok = 0;
      for (const [lang, [hit, n]] of per) {
        ok += hit;
        expect({ lang, share: hit / n >= 0.9 }).toEqual({ lang, share: true });
      }
      expect(ok / rows.length).toBeGreaterThanOrEqual(0.95);
    },
  );
});

describe("keywords of an undecided text", () => {
  it("leave out the stopwords of every language", () => {
    const text =
      "Lagos and Lima and Oslo. Lagos on the coast, Lima on the coast, Oslo on the fjord. Lagos de la costa y Oslo.";
    const doc = prepareDocument({ text, lang: "und" });
    expect(doc.lang).toBe("und");
    const kw = extractKeywords(doc).map((k) => k.toLowerCase());
    expect(kw).toContain("lagos");
    for (const stop of ["and", "on", "the", "de", "la", "y"]) expect(kw).not.toContain(stop);
  });
});
