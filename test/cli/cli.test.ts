import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { CliOptions } from "../../src/cli.ts";
import { parseArgs, processLine } from "../../src/cli.ts";

const root = join(import.meta.dirname, "..", "..");

function run(
  args: string[],
  input?: string,
): { stdout: string; stderr: string; status: number | null } {
  const r = spawnSync(
    process.execPath,
    ["--experimental-strip-types", "--no-warnings", join(root, "src", "cli.ts"), ...args],
    {
      input,
      encoding: "utf8",
      cwd: root,
      timeout: 60_000,
    },
  );
  return { stdout: r.stdout, stderr: r.stderr, status: r.status };
}

describe("parseArgs", () => {
  it("accepts the SPEC's forms", () => {
    expect(parseArgs(["summarize", "--sentences", "2", "a.txt"])).toEqual({
      command: "summarize",
      jsonl: false,
      budget: { sentences: 2 },
      file: "a.txt",
    });
    expect(parseArgs(["summarize", "--lang", "ar", "--words=40"])).toEqual({
      command: "summarize",
      jsonl: false,
      lang: "ar",
      budget: { words: 40 },
    });
    expect(parseArgs(["summarize", "--jsonl"])).toEqual({
      command: "summarize",
      jsonl: true,
      budget: {},
    });
    expect(parseArgs(["analyze", "--jsonl"])).toEqual({
      command: "analyze",
      jsonl: true,
      budget: {},
    });
  });

  it("rejects bad usage", () => {
    for (const args of [
      [],
      ["nope"],
      ["summarize", "--sentences", "0"],
      ["summarize", "--ratio", "2"],
      ["summarize", "--words", "5", "--sentences", "2"],
      ["analyze"],
      ["summarize", "--bogus"],
    ]) {
      expect("error" in parseArgs(args)).toBe(true);
    }
  });
});

describe("processLine", () => {
  const summarizeOpts: CliOptions = { command: "summarize", jsonl: true, budget: {} };
  const analyzeOpts: CliOptions = { command: "analyze", jsonl: true, budget: {} };
  const text =
    "BEIJING, Jan. 26 (Xinhua) -- China and Belarus agreed to expand trade. Officials praised the deal. Trade grew 5 percent last year. The weather was mild.";

  it("summarizes a line", () => {
    const out = processLine(JSON.stringify({ id: "a", text, sentences: 2 }), summarizeOpts);
    expect(out).toEqual({ id: "a", lang: "en", summary: expect.any(Array) });
    expect((out.summary as string[]).length).toBe(2);
    expect((out.summary as string[])[0]).toBe("China and Belarus agreed to expand trade.");
  });

  it("analyzes a line with offsets into the cleaned text", () => {
    const out = processLine(
      JSON.stringify({
        id: 7,
        text: `${text}\nShare this`,
        title: "Trade deal",
        published_at: "2021-01-26T10:00:00Z",
        watch: ["belarus", "trade AND deal"],
      }),
      analyzeOpts,
    );
    expect(out.id).toBe(7);
    expect(out.lang).toBe("en");
    expect(out.dateline).toEqual({ place: "BEIJING", date: "2021-01-26", agency: "Xinhua" });
    expect(out.text).toBe(text);
    expect(Array.isArray(out.keywords)).toBe(true);
    const matches = out.matches as Array<{
      query: string;
      hits: Array<{ field: string; start: number; end: number; text: string }>;
    }>;
    expect(Array.isArray(matches)).toBe(true);
    for (const m of matches) {
      for (const h of m.hits) {
        const field = h.field === "title" ? "Trade deal" : (out.text as string);
        expect(field.slice(h.start, h.end)).toBe(h.text);
      }
    }
  });

  it("turns bad lines into error lines", () => {
    expect(processLine("{not json", summarizeOpts)).toEqual({ id: null, error: "invalid JSON" });
    expect(processLine("[1,2]", summarizeOpts)).toEqual({
      id: null,
      error: "a line must be a JSON object",
    });
    expect(processLine(JSON.stringify({ id: 1 }), summarizeOpts)).toEqual({
      id: 1,
      error: 'missing "text"',
    });
    for (const bad of [{ text: "\u200b\u200d" }, { html: "<script>x</script>&nbsp;" }]) {
      expect(processLine(JSON.stringify({ id: 9, ...bad }), summarizeOpts)).toEqual({
        id: 9,
        error: "no text left after cleaning",
      });
    }
    expect(
      processLine(JSON.stringify({ id: 8, text: "A. B.", published_at: "0" }), summarizeOpts).error,
    ).toMatch(/published_at/);
    expect(processLine(JSON.stringify({ id: 2, text: 5 }), summarizeOpts)).toEqual({
      id: 2,
      error: '"text" must be a string',
    });
    expect(
      processLine(JSON.stringify({ id: 3, text: "x", words: 0 }), summarizeOpts).error,
    ).toBeDefined();
    expect(
      processLine(JSON.stringify({ id: 4, text: "x", watch: "belarus" }), analyzeOpts).error,
    ).toBeDefined();
  });
});

describe("the cli process", () => {
  it("summarizes a file to one sentence a line", () => {
    const r = run(["summarize", "--sentences", "2", join(root, "fixtures", "articles", "en.txt")]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^The coastal city of Lianhai/);
  });

  it("streams JSONL, one output line per input line, errors included", () => {
    const input = [
      JSON.stringify({ id: "1", text: "First sentence here. Second sentence there. Third one." }),
      "garbage",
      "",
      JSON.stringify({
        id: "3",
        text: "بكين 26 يناير 2021 (شينخوا) دعا الرئيس إلى التعاون. وقال إن العلاقات جيدة.",
        lang: "ar",
      }),
    ].join("\n");
    const r = run(["summarize", "--jsonl"], input);
    expect(r.status).toBe(0);
    const out = r.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out.map((o) => o.id)).toEqual(["1", null, "3"]);
    expect(out[1]?.error).toBe("invalid JSON");
    expect(out[2]?.lang).toBe("ar");
  });

  it("reports an invalid watch query in matches and still runs the line's other queries", () => {
    const text =
      "MINSK, March 3 (Xinhua) -- Belarus and China signed a trade agreement on Tuesday. The deal covers potash and machinery.";
    const line = (id: string, watch: unknown): string => JSON.stringify({ id, text, watch });
    const input = [
      line("a", ["belarus", "(china AND", "potash", '"trade agreement"~x', "football"]),
      line("b", ["AND"]),
      line("c", ["china"]),
    ].join("\n");
    const r = run(["analyze", "--jsonl"], input);
    expect(r.status).toBe(0);
    const out = r.stdout
      .trimEnd()
      .split("\n")
      .map(
        (l) =>
          JSON.parse(l) as { id: string; text: string; matches: Array<Record<string, unknown>> },
      );
    expect(out.map((o) => o.id)).toEqual(["a", "b", "c"]);
    const a = out[0]?.matches ?? [];
    // In the order given: hits for the valid queries that matched, an error for each invalid one.
    expect(a.map((m) => m.query)).toEqual([
      "belarus",
      "(china AND",
      "potash",
      '"trade agreement"~x',
    ]);
    expect(a[0]?.hits).toEqual([
      expect.objectContaining({ field: "text", text: "Belarus", start: text.indexOf("Belarus") }),
    ]);
    expect(Object.keys(a[1] ?? {}).sort()).toEqual(["error", "position", "query"]);
    expect(a[1]?.error).toEqual(expect.any(String));
    expect(a[1]?.position).toBe(7);
    expect(a[2]?.hits).toHaveLength(1);
    expect(a[3]).toEqual({
      query: '"trade agreement"~x',
      error: expect.any(String),
      position: expect.any(Number),
    });
    expect(a[3]?.position as number).toBeGreaterThan(0);
    expect(out[1]?.matches).toEqual([{ query: "AND", error: expect.any(String), position: 0 }]);
    expect(out[2]?.matches.map((m) => m.query)).toEqual(["china"]);
  });

  it("exits 2 with usage on bad arguments", () => {
    const r = run(["frobnicate"]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/usage/);
  });
});
