import { describe, expect, it } from "vitest";
import { LEDE_FIRST, SCORED } from "../../../src/text/data/summary-policy.ts";
import {
  analysisSteps,
  analyzeArticle,
  extractKeywords,
  prepareDocument,
  summarize,
} from "../../../src/text/index.ts";
import {
  centrality,
  computeFeatures,
  policyFor,
  selectSentences,
  WINDOW,
} from "../../../src/text/summarize.ts";

const article = [
  "BEIJING, Jan. 26 (Xinhua) -- The city council approved a new budget for public transport on Tuesday.",
  "The budget adds 40 new electric buses to the city fleet.",
  "Council members said the electric buses would replace old diesel buses by 2025.",
  "The weather was sunny.",
  "Residents welcomed the new buses and the budget for public transport.",
  "A local bakery opened a second shop.",
  "The council will review the bus budget again next year.",
].join(" ");

describe("summarize", () => {
  const doc = prepareDocument({
    text: article,
    title: "Council approves budget for electric buses",
  });

  it("defaults to 3 sentences, lead first, in article order, as exact spans", () => {
    const s = summarize(doc);
    expect(s).toHaveLength(3);
    expect(s[0]?.text).toBe(
      "The city council approved a new budget for public transport on Tuesday.",
    );
    for (let i = 1; i < s.length; i++)
      expect((s[i]?.start ?? 0) > (s[i - 1]?.start ?? 0)).toBe(true);
    for (const x of s) expect(doc.text.slice(x.start, x.end)).toBe(x.text);
  });

  it("chooses the policy by language: scored for English, lede-first for Arabic, Chinese, und", () => {
    expect(doc.lang).toBe("en");
    expect(policyFor("en")).toBe(SCORED);
    expect(policyFor("fr")).toBe(SCORED);
    expect(policyFor("ar")).toBe(LEDE_FIRST);
    expect(policyFor("zh")).toBe(LEDE_FIRST);
    expect(policyFor("und")).toBe(LEDE_FIRST);
    expect(policyFor("xx")).toBe(LEDE_FIRST);
    expect(policyFor("constructor")).toBe(LEDE_FIRST);
    expect(LEDE_FIRST.leadBudget).toBe(1);
    expect(SCORED.leadBudget).toBeLessThan(1);
  });

  it("English (scored): keeps the first sentence, then central ones over off-topic ones", () => {
    // Four sentences: the lede-first policy would take "The weather was sunny." (the
    // fourth); the scored one takes the residents' line about the buses and the budget.
    expect(summarize(doc, { sentences: 4 }).map((s) => s.text)).toEqual([
      "The city council approved a new budget for public transport on Tuesday.",
      "The budget adds 40 new electric buses to the city fleet.",
      "Council members said the electric buses would replace old diesel buses by 2025.",
      "Residents welcomed the new buses and the budget for public transport.",
    ]);
    expect(selectSentences(doc, { sentences: 4 }, LEDE_FIRST)).toEqual([0, 1, 2, 3]);
  });

  it("Arabic (lede-first): the opening sentences, up to the budget", () => {
    const ar = prepareDocument({
      text: [
        "وافق مجلس المدينة يوم الثلاثاء على ميزانية جديدة للنقل العام.",
        "وتضيف الميزانية أربعين حافلة كهربائية جديدة إلى أسطول المدينة.",
        "وكان الطقس مشمسا في العاصمة.",
        "وقال أعضاء المجلس إن الحافلات الكهربائية ستحل محل حافلات الديزل القديمة بحلول عام 2025.",
        "ورحب السكان بالحافلات الجديدة وبميزانية النقل العام.",
      ].join(" "),
      title: "المجلس يقر ميزانية الحافلات الكهربائية",
    });
    expect(ar.lang).toBe("ar");
    expect(summarize(ar, { sentences: 2 })).toEqual(ar.sentences.slice(0, 2));
    // 10 words, then the sentence that crosses 12.
    expect(summarize(ar, { words: 12 })).toEqual(ar.sentences.slice(0, 2));
  });

  it("honours sentence, word and ratio budgets", () => {
    expect(summarize(doc, { sentences: 1 })).toHaveLength(1);
    expect(summarize(doc, { sentences: 100 })).toHaveLength(doc.sentences.length);
    expect(summarize(doc, { ratio: 0.5 })).toHaveLength(Math.round(doc.sentences.length * 0.5));
    const w = summarize(doc, { words: 25 });
    const words = w.map((s) => s.text.split(/\s+/).length).reduce((a, b) => a + b, 0);
    expect(words).toBeGreaterThanOrEqual(25);
    expect(words).toBeLessThan(25 + 15);
    // Bad budgets fall back to the default.
    expect(summarize(doc, { sentences: Number.NaN })).toHaveLength(3);
    expect(summarize(doc, { words: -5 })).toHaveLength(3);
  });

  it("is deterministic", () => {
    const a = analyzeArticle({ text: article });
    const b = analyzeArticle({ text: article });
    expect(a.summary).toEqual(b.summary);
    expect(a.keywords).toEqual(b.keywords);
  });

  it("does not repeat itself", () => {
    const dup =
      "Floods hit the northern province on Monday. Floods hit the northern province on Monday, officials said. Rescue teams arrived. The army sent boats to the province.";
    const d = prepareDocument({ text: dup });
    const pick = (w: typeof LEDE_FIRST): string[] =>
      selectSentences(d, { sentences: 2 }, w).map((i) => d.sentences[i]?.text ?? "");
    // The lede skips the restated first line.
    expect(pick(LEDE_FIRST)).toEqual([
      "Floods hit the northern province on Monday.",
      "Rescue teams arrived.",
    ]);
    // So does the scored part (English's policy), which prefers the longer sentence that
    // shares the story's terms to a three-word one.
    expect(summarize(d, { sentences: 2 }).map((x) => x.text)).toEqual(pick(SCORED));
    expect(pick(SCORED)).toEqual([
      "Floods hit the northern province on Monday.",
      "The army sent boats to the province.",
    ]);
  });

  it("works for any language and for empty documents", () => {
    expect(summarize(prepareDocument({ text: "" }))).toEqual([]);
    const zh = prepareDocument({
      text: "新华社北京1月26日电 第一句话很重要。第二句话也重要。第三句。第四句话。",
    });
    expect(summarize(zh, { sentences: 2 }).map((s) => s.text)[0]).toBe("第一句话很重要。");
  });

  it("keeps the similarity graph windowed on long texts", () => {
    const long = Array.from(
      { length: 300 },
      (_, i) => `Sentence number ${i} talks about topic ${i % 7} and item ${i % 13}.`,
    ).join(" ");
    const d = prepareDocument({ text: long });
    const f = computeFeatures(d);
    const c = centrality(f);
    expect(c).toHaveLength(300);
    expect(WINDOW).toBeLessThan(300);
    expect(summarize(d, { sentences: 5 })).toHaveLength(5);
  });
});

describe("analysisSteps", () => {
  it("stops between its steps and ends with what the separate calls give", () => {
    const input = { text: article, title: "Council approves budget for electric buses" };
    const steps = analysisSteps(input, { sentences: 2 });
    let stops = 0;
    let step = steps.next();
    for (; !step.done; step = steps.next()) stops++;
    expect(stops).toBe(3);
    const doc = prepareDocument(input);
    expect(step.value).toEqual({
      doc,
      summary: summarize(doc, { sentences: 2 }).map((s) => s.text),
      keywords: extractKeywords(doc),
    });
    expect(analyzeArticle(input, { sentences: 2 })).toEqual(step.value);
  });
});
