import { describe, expect, it } from "vitest";
import { parseQuery } from "../../../src/watch/index.ts";

function err(q: string) {
  const r = parseQuery(q);
  if (r.ok) throw new Error(`expected an error for ${JSON.stringify(q)}`);
  return [r.error.message, r.error.position];
}

describe("parseQuery: syntax errors carry the position", () => {
  it("empty and blank queries", () => {
    expect(err("")).toEqual(["empty query", 0]);
    expect(err("   ")).toEqual(["empty query", 0]);
  });
  it("unbalanced parentheses", () => {
    expect(err("xi AND (belarus OR lukashenko")).toEqual(["unbalanced '(': missing ')'", 7]);
    expect(err("xi belarus)")).toEqual(["unbalanced ')': no matching '('", 10]);
    expect(err("xi ()")).toEqual(["empty parentheses", 4]);
  });
  it("dangling operators", () => {
    expect(err("xi AND")).toEqual(["'AND' needs a term on both sides", 3]);
    expect(err("AND xi")).toEqual(["'AND' needs a term on both sides", 0]);
    expect(err("xi OR OR belarus")).toEqual(["'OR' needs a term on both sides", 3]);
    expect(err("xi NOT")).toEqual(["'NOT' must be followed by a term", 3]);
    expect(err("xi (belarus AND)")).toEqual(["'AND' needs a term on both sides", 12]);
    expect(err("xi - belarus")).toEqual(["'-' must be followed directly by a term", 3]);
  });
  it("unterminated and empty phrases", () => {
    expect(err('xi "belt and road')).toEqual(["unterminated phrase: missing closing quote", 3]);
    expect(err('xi ""')).toEqual(["empty phrase", 3]);
    expect(err('"xi belarus"~')).toEqual(["expected a number after '~'", 12]);
  });
  it("fields, wildcards and stray symbols", () => {
    expect(err("titel:belarus")).toEqual(["unknown field 'titel' (fields: title, text)", 0]);
    expect(err("xi title: belarus")).toEqual(["'title:' must be followed directly by a term", 3]);
    expect(err("ch*na")).toEqual(["'*' is only allowed at the end of a word", 2]);
    expect(err("*ina")).toEqual(["'*' is only allowed at the end of a word", 0]);
    expect(err("c*")).toEqual(["a prefix needs at least 2 letters before '*'", 1]);
    expect(err("belarus~2")).toEqual(["'~' is only allowed after a quoted phrase", 7]);
    expect(err("xi , belarus")).toEqual(["',' has no letters or digits", 3]);
  });
  it("never throws, whatever the input", () => {
    for (const q of [
      "(((((",
      ")))",
      '"',
      "\uD800",
      "-".repeat(50),
      `${"(".repeat(100)}a${")".repeat(100)}`,
      "a".repeat(5000),
    ]) {
      expect(parseQuery(q).ok === true || parseQuery(q).ok === false).toBe(true);
    }
    expect(parseQuery(`${"(".repeat(100)}a${")".repeat(100)}`)).toMatchObject({ ok: false });
    expect(parseQuery(null as unknown as string)).toMatchObject({ ok: false });
  });
});

describe("parseQuery: structure", () => {
  it("precedence: NOT > AND (implicit too) > OR", () => {
    const r = parseQuery("xi AND (belarus OR lukashenko) NOT football");
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.query.type).toBe("and");
    const q = r.query as { type: "and"; children: { type: string }[] };
    expect(q.children.map((c) => c.type)).toEqual(["term", "or", "not"]);
    const r2 = parseQuery("a b OR c");
    expect(r2.ok && r2.query.type).toBe("or");
  });
  it("phrases, proximity, prefix and fields", () => {
    const r = parseQuery('title:"Xi Bélarus"~10 chin* text:(a OR b)');
    expect(r.ok).toBe(true);
    if (!r.ok || r.query.type !== "and") return;
    const [p, pre, grp] = r.query.children;
    expect(p).toMatchObject({
      type: "term",
      field: "title",
      phrase: true,
      slop: 10,
      start: 6,
      end: 21,
      tokens: [
        { key: "xi", prefix: false, sub: false },
        { key: "belarus", prefix: false, sub: false },
      ],
    });
    expect(pre).toMatchObject({
      type: "term",
      field: "any",
      tokens: [{ key: "chin", prefix: true }],
    });
    expect(grp).toMatchObject({ type: "or", children: [{ field: "text" }, { field: "text" }] });
  });
  it("accepts curly quotes, && and ||, + and lower-case words as terms", () => {
    for (const q of [
      "“belt and road”",
      "a && b || c",
      "+a -b",
      "and or not",
      "COVID-19",
      "白俄罗斯*",
    ]) {
      expect(parseQuery(q).ok).toBe(true);
    }
  });
});
