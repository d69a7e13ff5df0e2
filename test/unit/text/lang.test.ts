import { describe, expect, it } from "vitest";
import { detectLanguage } from "../../../src/text/lang.ts";

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
});
