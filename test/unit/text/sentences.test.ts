import { describe, expect, it } from "vitest";
import { splitSentences } from "../../../src/text/sentences.ts";

const split = (text: string, lang = "en"): string[] =>
  splitSentences(text, lang).map((s) => s.text);

describe("splitSentences", () => {
  it("returns exact spans into the text", () => {
    const text = "  First one.  Second one!\n\nThird?  ";
    for (const s of splitSentences(text, "en")) expect(text.slice(s.start, s.end)).toBe(s.text);
    expect(split(text)).toEqual(["First one.", "Second one!", "Third?"]);
  });

  it("keeps English abbreviations, initials, decimals and versions inside sentences", () => {
    expect(
      split("Mr. Smith met Dr. Jones on Jan. 5 at 3.30 p.m. in St. Louis. They talked."),
    ).toEqual(["Mr. Smith met Dr. Jones on Jan. 5 at 3.30 p.m. in St. Louis.", "They talked."]);
    expect(split("J. K. Rowling spoke. Node.js 22.1.0 shipped. It grew 3.5 percent.")).toEqual([
      "J. K. Rowling spoke.",
      "Node.js 22.1.0 shipped.",
      "It grew 3.5 percent.",
    ]);
    expect(split("He moved to the U.S. The move paid off.")).toEqual([
      "He moved to the U.S.",
      "The move paid off.",
    ]);
    expect(split("The U.S. Army said so.")).toEqual(["The U.S. Army said so."]);
  });

  it("handles quotes, brackets and ellipses", () => {
    expect(split('"We will win." He smiled. (It was late.) Then... nothing.')).toEqual([
      '"We will win."',
      "He smiled.",
      "(It was late.)",
      "Then... nothing.",
    ]);
    expect(split('"It is quiet. You can hear the water," said Lin. She left.')).toEqual([
      '"It is quiet. You can hear the water," said Lin.',
      "She left.",
    ]);
    expect(split('"Will it work?" he asked. Nobody knew.')).toEqual([
      '"Will it work?" he asked.',
      "Nobody knew.",
    ]);
    expect(split("Wait… Then go.")).toEqual(["Wait…", "Then go."]);
  });

  it("splits Arabic on ؟ and on a full stop glued to the next word, not on ، or ؛", () => {
    expect(split("هل وصل الوفد؟ نعم، وصل اليوم؛ وبدأ المحادثات.", "ar")).toEqual([
      "هل وصل الوفد؟",
      "نعم، وصل اليوم؛ وبدأ المحادثات.",
    ]);
    expect(
      split("يعيش في البحيرة عدد كبير من الأسماك التي تتغذى بها.الأسماك هنا كثيرة.", "ar"),
    ).toEqual(["يعيش في البحيرة عدد كبير من الأسماك التي تتغذى بها.", "الأسماك هنا كثيرة."]);
    expect(split("قال د. أحمد إن الوضع جيد . وأضاف أن العمل مستمر", "ar")).toEqual([
      "قال د. أحمد إن الوضع جيد .",
      "وأضاف أن العمل مستمر",
    ]);
    expect(split("جملة أولى۔ جملة ثانية", "ur")).toEqual(["جملة أولى۔", "جملة ثانية"]);
  });

  it("splits Chinese and Japanese on 。！？ with closing quotes attached", () => {
    expect(split("他说：“很好。”我们走吧！真的吗？好。", "zh")).toEqual([
      "他说：“很好。”",
      "我们走吧！",
      "真的吗？",
      "好。",
    ]);
    expect(split("東京は晴れです。明日は雨でしょう。", "ja")).toEqual([
      "東京は晴れです。",
      "明日は雨でしょう。",
    ]);
  });

  it("uses per-language abbreviation tables", () => {
    expect(split("M. Dupont est arrivé. Il parle.", "fr")).toEqual([
      "M. Dupont est arrivé.",
      "Il parle.",
    ]);
    expect(split("El Sr. Pérez viajó a EE.UU. ayer. Volvió hoy.", "es")).toEqual([
      "El Sr. Pérez viajó a EE.UU. ayer.",
      "Volvió hoy.",
    ]);
    expect(split("Проф. Иванов прибыл. Он выступил, т.е. рассказал всё.", "ru")).toEqual([
      "Проф. Иванов прибыл.",
      "Он выступил, т.е. рассказал всё.",
    ]);
    expect(split("Am 26. Januar kam er. Dann ging er.", "de")).toEqual([
      "Am 26. Januar kam er.",
      "Dann ging er.",
    ]);
  });

  it("treats paragraph breaks as boundaries and re-joins hard-wrapped lines", () => {
    expect(split("Headline without stop\n\nBody starts here")).toEqual([
      "Headline without stop",
      "Body starts here",
    ]);
    expect(split("A line that wraps\nin the middle of a sentence.")).toEqual([
      "A line that wraps\nin the middle of a sentence.",
    ]);
  });

  it("re-joins hard-wrapped Arabic lines but keeps short heading lines apart", () => {
    const wrapped =
      "أكد الوزير أن الحكومة ستواصل دعم المشاريع الصغيرة في\nجميع المناطق خلال العام المقبل.";
    expect(split(wrapped, "ar")).toEqual([wrapped]);
    expect(split("عنوان قصير\nبدأ الاجتماع صباح اليوم.", "ar")).toEqual([
      "عنوان قصير",
      "بدأ الاجتماع صباح اليوم.",
    ]);
  });

  it("drops spans without letters or digits", () => {
    expect(split("... !!! Real one.")).toEqual(["Real one."]);
    expect(split("")).toEqual([]);
  });
});
