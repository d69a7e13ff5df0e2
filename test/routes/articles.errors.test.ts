import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, expectProblem, mintIngestToken } from "./helpers.ts";

/** Every key in KV, to prove that a failed request changed nothing. */
async function snapshot(): Promise<string[]> {
  const out: string[] = [];
  let cursor: string | undefined;
  do {
    const page = await env.KV.list({ cursor });
    out.push(...page.keys.map((k) => k.name));
    cursor = page.list_complete ? undefined : page.cursor;
  } while (cursor);
  return out.sort();
}

describe("articles: errors", async () => {
  const token = await mintIngestToken();
  const good = { url: "https://example.com/good", text: "A fine story. It is stored once." };
  const stored = await call("POST", "/v1/articles", { token, json: good });

  it("malformed JSON is 400", async () => {
    const before = await snapshot();
    const res = await call("POST", "/v1/articles", {
      token,
      body: '{"text": "x",',
      contentType: "application/json",
    });
    expectProblem(res, 400, "malformed_json");
    expect(await snapshot()).toEqual(before);
  });

  it("a body over 1 MiB is 413", async () => {
    const before = await snapshot();
    const res = await call("POST", "/v1/articles", {
      token,
      json: { text: "word ".repeat(220_000) },
    });
    expectProblem(res, 413, "payload_too_large");
    expect(await snapshot()).toEqual(before);
  });

  it("an unsupported media type is 415", async () => {
    const res = await call("POST", "/v1/articles", {
      token,
      body: "<x/>",
      contentType: "application/xml",
    });
    expectProblem(res, 415, "unsupported_media_type");
    const none = await call("POST", "/v1/summarize", { token, body: "{}" });
    expectProblem(none, 415, "unsupported_media_type");
  });

  it.each([
    [{ title: "no text" }, "text"],
    [{ text: "   " }, "text"],
    [{ text: 42 }, "text"],
    [{ text: "ok", url: "not a url" }, "url"],
    [{ text: "ok", url: "ftp://example.com/x" }, "url"],
    [{ text: "ok", published_at: "yesterday-ish" }, "published_at"],
    [{ text: "ok", lang: "english!" }, "lang"],
    ["just a string", "(body)"],
  ])("422 names the field: %j", async (body, field) => {
    const before = await snapshot();
    const res = await call("POST", "/v1/articles", { token, json: body });
    expectProblem(res, 422, "validation_failed");
    expect(res.data.errors.map((e: { field: string }) => e.field)).toContain(field);
    expect(res.data.detail).toContain(field);
    expect(await snapshot()).toEqual(before);
  });

  it("a batch of 101 is 422 and stores nothing", async () => {
    const before = await snapshot();
    const batch = Array.from({ length: 101 }, (_, i) => ({
      url: `https://example.com/n${i}`,
      text: `Story ${i}.`,
    }));
    const res = await call("POST", "/v1/articles", { token, json: batch });
    expectProblem(res, 422, "batch_too_large");
    expect(await snapshot()).toEqual(before);
  });

  it("a batch with bad items stores the good ones and reports each status", async () => {
    const res = await call("POST", "/v1/articles", {
      token,
      json: [
        { url: "https://example.com/b1", text: "Good one. Stored." },
        { url: "https://example.com/b2", published_at: "nope", text: "Bad date." },
        { url: "https://example.com/b3" },
        good,
      ],
    });
    expect(res.status).toBe(200);
    expect(res.data.items.map((i: { status: number }) => i.status)).toEqual([201, 422, 422, 200]);
    expect(res.data.items[1].error.errors[0].field).toBe("published_at");
    expect(res.data.items[2].error.code).toBe("validation_failed");
    expect(res.data).toMatchObject({ created: 1, replayed: 1, failed: 2 });
    const b2 = await call(
      "GET",
      `/v1/articles?url=${encodeURIComponent("https://example.com/b2")}`,
      { token },
    );
    expectProblem(b2, 404, "not_found");
  });

  it("an NDJSON batch with a broken line reports 400 for that line only", async () => {
    const body = `${JSON.stringify({ url: "https://example.com/n1", text: "Fine. Yes." })}\n{broken\n`;
    const res = await call("POST", "/v1/articles", {
      token,
      body,
      contentType: "application/x-ndjson",
    });
    expect(res.data.items.map((i: { status: number }) => i.status)).toEqual([201, 400]);
    expect(res.data.items[1].error.code).toBe("malformed_json");
  });

  it("unknown ids and URLs are 404; bad summary parameters are 422", async () => {
    expectProblem(await call("GET", "/v1/articles/nope", { token }), 404, "not_found");
    expectProblem(await call("GET", "/v1/articles/nope/summary", { token }), 404, "not_found");
    expectProblem(
      await call("GET", `/v1/articles?url=${encodeURIComponent("https://example.com/none")}`, {
        token,
      }),
      404,
      "not_found",
    );
    expectProblem(
      await call("GET", "/v1/articles?url=nonsense", { token }),
      422,
      "validation_failed",
    );
    const id = stored.data.id;
    expectProblem(
      await call("GET", `/v1/articles/${id}/summary?sentences=0`, { token }),
      422,
      "validation_failed",
    );
    expectProblem(
      await call("GET", `/v1/articles/${id}/summary?ratio=2`, { token }),
      422,
      "validation_failed",
    );
    expectProblem(
      await call("GET", `/v1/articles/${id}/summary?sentences=2&words=10`, { token }),
      422,
      "validation_failed",
    );
    expectProblem(
      await call("GET", `/v1/articles/${id}/summary?format=xml`, { token }),
      422,
      "validation_failed",
    );
    expectProblem(await call("GET", "/v1/nothing-here", { token }), 404, "not_found");
  });

  it("an article with no text left after cleaning is 422 and not stored (issue 10)", async () => {
    const before = await snapshot();
    const empties: { json?: unknown; body?: string; contentType?: string; path?: string }[] = [
      { json: { text: "\u200b\u200c\u200d\ufeff\u2060" } },
      { json: { url: "https://example.com/zw", text: "\u200b \u200b\n\u200d" } },
      { json: { html: "<script>alert('x')</script>" } },
      { json: { html: "<p>&nbsp;</p><p>&nbsp;&#8203;</p>" } },
      { json: { html: "<style>p{}</style><!-- only a comment -->" } },
      { body: "\u200b\u200b", contentType: "text/plain" },
      { body: "<html><body><script>1</script>&nbsp;</body></html>", contentType: "text/html" },
    ];
    for (const e of empties) {
      const res = await call("POST", "/v1/articles", { token, ...e });
      expectProblem(res, 422, "validation_failed");
      expect(res.data.errors[0].field).toMatch(/^(text|html)$/);
    }
    // In a batch: that item is 422, the good one next to it is stored.
    const batch = await call("POST", "/v1/articles", {
      token,
      json: [{ text: "\u200b" }, { text: "A real story. With two sentences here." }],
    });
    expect(batch.data.items.map((i: { status: number }) => i.status)).toEqual([422, 201]);
    // Summarize answers the same, and nothing empty became a "replay" of anything.
    expectProblem(
      await call("POST", "/v1/summarize", { token, json: { html: "<script>x</script>" } }),
      422,
      "validation_failed",
    );
    const added = (await snapshot()).filter((k) => !before.includes(k));
    expect(added).toEqual([`article:${batch.data.items[1].id}`]);
  });

  it('published_at must be a real ISO 8601 date or date-time: "0" is 422 (issue 10)', async () => {
    const before = await snapshot();
    for (const published_at of ["0", "1", "2021", "Tuesday", "2021-02-30", "26/01/2021"]) {
      const res = await call("POST", "/v1/articles", {
        token,
        json: { text: "A dated story. It has a date.", published_at },
      });
      expectProblem(res, 422, "validation_failed");
      expect(res.data.errors[0].field).toBe("published_at");
    }
    const res = await call("POST", "/v1/articles?published_at=0", {
      token,
      body: "A plain story. It has a date.",
      contentType: "text/plain",
    });
    expectProblem(res, 422, "validation_failed");
    expect(await snapshot()).toEqual(before);
    const ok = await call("POST", "/v1/articles", {
      token,
      json: { text: "Offset story. Stored in UTC.", published_at: "2021-01-26T10:00:00+08:00" },
    });
    expect(ok.status).toBe(201);
    expect(ok.data.published_at).toBe("2021-01-26T02:00:00.000Z");
  });

  it("the stored article is untouched by all of the above", async () => {
    const res = await call("GET", `/v1/articles/${stored.data.id}`, { token });
    expect(res.data).toEqual(stored.data);
  });
});
