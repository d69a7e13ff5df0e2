import { describe, expect, it } from "vitest";
import { matchQueries } from "../../../src/watch/index.ts";
import { doc, fixture, spans, substringOccurrences, wordOccurrences } from "./helpers.ts";

function hits(query: string, text: string, title = "", lang = "en") {
  const m = matchQueries([query], doc(text, title, lang));
  return m.length === 0 ? null : spans(m[0]?.hits ?? []);
}

describe("whole words, no substring false alarms", () => {
  const text = "The crisis deepened. ISIS claimed it.";
  it("ISIS is not found inside crisis", () => {
    const i = text.indexOf("ISIS");
    expect(hits("ISIS", text)).toEqual([["text", i, i + 4, "ISIS"]]);
    expect(hits("isis", "The crisis deepened.")).toBeNull();
  });
  it("raff is not found inside giraffe", () => {
    expect(hits("raff", "A giraffe at the zoo.")).toBeNull();
    const t = "A giraffe met Mr Raff.";
    expect(hits("raff", t)).toEqual([["text", t.indexOf("Raff"), t.indexOf("Raff") + 4, "Raff"]]);
  });
  it("china is not found inside chinaware, but is in China's", () => {
    const t = "Fine chinaware from China's kilns.";
    const i = t.indexOf("China");
    expect(hits("china", t)).toEqual([["text", i, i + 5, "China"]]);
    expect(hits("china", "Fine chinaware.")).toBeNull();
  });
  it("a prefix matches the start of words only", () => {
    const t = "Chinaware, China and Indochina.";
    expect(hits("chin*", t)).toEqual([
      ["text", 0, 9, "Chinaware"],
      ["text", 11, 16, "China"],
    ]);
  });
});

describe("case and diacritics", () => {
  it("Bélarus = belarus, both ways", () => {
    expect(hits("belarus", "Visit to Bélarus today.")).toEqual([["text", 9, 16, "Bélarus"]]);
    expect(hits("Bélarus", "BELARUS and Belarus")).toEqual([
      ["text", 0, 7, "BELARUS"],
      ["text", 12, 19, "Belarus"],
    ]);
  });
  it("decomposed accents, Arabic tashkeel/tatweel/hamza/ى/ة fold, offsets unchanged", () => {
    const t = "Cafe\u0301 open. الصِّينُ والقاهـــرة وأمريكا ومصرى";
    expect(hits("café", t)).toEqual([["text", 0, 5, "Cafe\u0301"]]);
    const a = t.indexOf("الصِّينُ");
    expect(hits("الصين", t)).toEqual([["text", a, a + "الصِّينُ".length, "الصِّينُ"]]);
    const b = t.indexOf("والقاهـــرة");
    expect(hits("القاهره", t)).toEqual([["text", b, b + "والقاهـــرة".length, "والقاهـــرة"]]);
    const c = t.indexOf("وأمريكا");
    expect(hits("امريكا", t)).toEqual([["text", c, c + 7, "وأمريكا"]]);
    const e = t.indexOf("ومصرى");
    expect(hits("مصري", t)).toEqual([["text", e, e + 5, "ومصرى"]]);
  });
});

describe("Arabic clitics (generated forms, not a stemmer)", () => {
  const t =
    "زار الصين ثم والصين وبالصين وللصين للصين بالصين فالصين. كلمة بالبنان. زار لبنان وللبنان.";
  it("الصين matches every cliticised form and reports the surface form", () => {
    const expected = wordOccurrences(t, [
      "الصين",
      "والصين",
      "وبالصين",
      "وللصين",
      "للصين",
      "بالصين",
      "فالصين",
    ]);
    expect(expected).toHaveLength(7);
    expect(hits("الصين", t)).toEqual(expected);
  });
  it("لبنان does not match بالبنان, but matches لبنان and وللبنان (و + ل + لبنان)", () => {
    expect(hits("لبنان", "كلمة بالبنان.")).toBeNull();
    expect(hits("لبنان", t)).toEqual(wordOccurrences(t, ["لبنان", "وللبنان"]));
  });
  it("the other direction: a cliticised query matches only that surface form", () => {
    expect(hits("والصين", t)).toEqual(wordOccurrences(t, ["والصين"]));
    expect(hits("بالصين", t)).toEqual(wordOccurrences(t, ["بالصين", "وبالصين"]));
    expect(hits("للصين", t)).toEqual(wordOccurrences(t, ["للصين", "وللصين"]));
  });
  it("a query without the article does not match the word with it, and vice versa", () => {
    expect(hits("صين", t)).toBeNull();
    expect(hits("الصين", "وصين")).toBeNull();
  });
  it("names that start with clitic letters stay whole", () => {
    const n = "وصل إلى بكين ثم واشنطن والتقى لوكاشينكو وبكين";
    expect(hits("كين", n)).toBeNull();
    expect(hits("اشنطن", n)).toBeNull();
    expect(hits("وكاشينكو", n)).toBeNull();
    expect(hits("بكين", n)).toEqual(wordOccurrences(n, ["بكين", "وبكين"]));
    expect(hits("واشنطن", n)).toEqual(wordOccurrences(n, ["واشنطن"]));
    expect(hits("لوكاشينكو", n)).toEqual(wordOccurrences(n, ["لوكاشينكو"]));
  });
  it("ما يلي stemmers mangle: وبيلاروس still matches بيلاروس", () => {
    const s = "الصين وبيلاروس";
    expect(hits("بيلاروس", s)).toEqual([["text", 6, 14, "وبيلاروس"]]);
  });
});

describe("Chinese and Japanese match as substrings", () => {
  const zh = fixture("watch/zh-belarus-visit.txt");
  it("白俄罗斯 and 卢卡申科 in a Chinese article", () => {
    const a = substringOccurrences(zh, "白俄罗斯");
    expect(a).toHaveLength(6);
    expect(hits("白俄罗斯", zh, "", "zh")).toEqual(a);
    const b = substringOccurrences(zh, "卢卡申科");
    expect(b).toHaveLength(2);
    expect(hits("卢卡申科", zh, "", "zh")).toEqual(b);
    expect(hits("白俄罗斯 AND 卢卡申科", zh, "", "zh")).toEqual(
      [...a, ...b].sort((x, y) => x[1] - y[1]),
    );
  });
  it("characters must be contiguous: punctuation between breaks the term", () => {
    expect(hits("白俄罗斯", "白俄，罗斯", "", "zh")).toBeNull();
  });
  it("Japanese katakana names", () => {
    const ja = "ベラルーシのルカシェンコ大統領は会談した。";
    const i = ja.indexOf("ルカシェンコ");
    expect(hits("ルカシェンコ", ja, "", "ja")).toEqual([["text", i, i + 6, "ルカシェンコ"]]);
  });
  it("Latin words inside Chinese text are still whole words", () => {
    const t = "双方讨论了APEC会议。";
    expect(hits("apec", t, "", "zh")).toEqual([["text", 5, 9, "APEC"]]);
    expect(hits("ape", t, "", "zh")).toBeNull();
  });
});

describe("phrases and proximity", () => {
  it("a phrase matches across a line break", () => {
    const en = fixture("watch/en-belarus-park.txt");
    const i = en.indexOf("Belt and\nRoad");
    expect(i).toBeGreaterThan(0);
    expect(hits('"belt and road"', en)).toEqual([["text", i, i + 13, "Belt and\nRoad"]]);
  });
  it("a phrase needs the words in order and adjacent", () => {
    expect(hits('"road and belt"', "the Belt and Road plan")).toBeNull();
    expect(hits('"belt road"', "the Belt and Road plan")).toBeNull();
  });
  // exactly 10 words between Xi and Belarus
  const inside = "Xi met w2 w3 w4 w5 w6 w7 w8 w9 in Belarus";
  it("(the fixture has 10 words between)", () => expect(inside.split(" ").length - 2).toBe(10));
  it("proximity just inside the window (10 words between, ~10)", () => {
    const b = inside.indexOf("Belarus");
    expect(hits('"xi belarus"~10', inside)).toEqual([
      ["text", 0, 2, "Xi"],
      ["text", b, b + 7, "Belarus"],
    ]);
    // any order
    expect(hits('"belarus xi"~10', inside)).toEqual(hits('"xi belarus"~10', inside));
  });
  it("proximity just outside the window (10 words between, ~9)", () => {
    expect(hits('"xi belarus"~9', inside)).toBeNull();
    expect(hits('"xi belarus"~10', inside.replace("w9", "w9 w10"))).toBeNull();
  });
});

describe("fields and operators", () => {
  const title = "Belarus signs deal with China";
  const text = "Minsk agreed on Tuesday. The football match was cancelled.";
  it("title: matches only in the title", () => {
    expect(hits("title:belarus", text, title)).toEqual([["title", 0, 7, "Belarus"]]);
    expect(hits("title:minsk", text, title)).toBeNull();
    expect(hits("text:belarus", text, title)).toBeNull();
    expect(hits("minsk", text, title)).toEqual([["text", 0, 5, "Minsk"]]);
    expect(hits("belarus", `${text} Belarus.`, title)).toEqual([
      ["title", 0, 7, "Belarus"],
      ["text", 59, 66, "Belarus"],
    ]);
  });
  it("a NOT vetoes the match", () => {
    expect(hits("belarus NOT football", text, title)).toBeNull();
    expect(hits("belarus -football", text, title)).toBeNull();
    expect(hits("belarus NOT hockey", text, title)).toEqual([["title", 0, 7, "Belarus"]]);
    expect(hits("minsk AND NOT title:football", text, title)).toEqual([["text", 0, 5, "Minsk"]]);
  });
  it("AND, OR, parentheses and implicit AND; hits come from the parts that matched", () => {
    expect(hits("china AND (belarus OR lukashenko)", text, title)).toEqual([
      ["title", 0, 7, "Belarus"],
      ["title", 24, 29, "China"],
    ]);
    expect(hits("china lukashenko", text, title)).toBeNull();
    expect(hits("lukashenko OR minsk", text, title)).toEqual([["text", 0, 5, "Minsk"]]);
    expect(hits("xi AND (belarus OR lukashenko) NOT football", "Xi met Lukashenko.", "")).toEqual([
      ["text", 0, 2, "Xi"],
      ["text", 7, 17, "Lukashenko"],
    ]);
  });
  it("a purely negative query matches with no hits", () => {
    expect(hits("-football", "Minsk news.")).toEqual([]);
    expect(hits("-football", text)).toBeNull();
  });
});

describe("snippets", () => {
  it("uses the given sentence spans", () => {
    const text = "First one. Mr. Smith met Lukashenko in Minsk. Last one.";
    const m = matchQueries(["lukashenko"], doc(text));
    expect(m[0]?.hits[0]?.snippet).toBe("Mr. Smith met Lukashenko in Minsk.");
    const given = matchQueries(
      ["lukashenko"],
      doc(text, "", "en", { sentences: [{ start: 0, end: text.length }] }),
    );
    expect(given[0]?.hits[0]?.snippet).toBe(text);
  });
});
