import { describe, expect, it } from "vitest";
import SEED from "../../fixtures/seed-ar-xinhua.txt?raw";
import { call, expectProblem } from "./helpers.ts";

// The console previews watch hits on pasted text through POST /v1/summarize { watch }.

describe("POST /v1/summarize with watch queries", { timeout: 30_000 }, () => {
  it("returns the cleaned text and the hits of matching queries, offsets into that text", async () => {
    const res = await call("POST", "/v1/summarize", {
      json: { text: SEED, sentences: 2, watch: ["الصين", "football"] },
    });
    expect(res.status).toBe(200);
    expect(res.data.summary).toHaveLength(2);
    expect(res.data.matches).toHaveLength(1);
    const [m] = res.data.matches;
    expect(m.query).toBe("الصين");
    expect(m.hits.length).toBeGreaterThan(0);
    for (const h of m.hits) {
      const field = h.field === "text" ? res.data.text : res.data.title;
      expect(field.slice(h.start, h.end)).toBe(h.text);
    }
  });

  it("leaves the answer unchanged without watch", async () => {
    const res = await call("POST", "/v1/summarize", { json: { text: "One. Two.", lang: "en" } });
    expect(res.status).toBe(200);
    expect(res.data).not.toHaveProperty("matches");
    expect(res.data).not.toHaveProperty("text");
  });

  it("rejects an invalid query with 422 and its position", async () => {
    const res = await call("POST", "/v1/summarize", {
      json: { text: "Belarus and China.", watch: ["china", "xi AND (belarus"] },
    });
    expectProblem(res, 422, "invalid_query");
    expect(res.data.errors[0]).toMatchObject({ field: "watch.1" });
    expect(typeof res.data.errors[0].position).toBe("number");
  });
});
