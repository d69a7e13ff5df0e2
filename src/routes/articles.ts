import { OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv, Caller } from "../env.ts";
import { ApiError, problem } from "../errors.ts";
import { isLongArticle, runInSteps } from "../event-loop.ts";
import {
  articleIdForUrl,
  assertTextLeft,
  ingestArticle,
  ingestArticles,
  prepareInputOf,
} from "../ingest/pipeline.ts";
import type { ArticleRecord } from "../records.ts";
import {
  ArticleInput,
  ArticleResponse,
  BatchResult,
  MAX_BATCH,
  SummarizeInput,
  SummaryQuery,
  SummaryResponse,
} from "../schemas.ts";
import { ArticleStore } from "../store/articles.ts";
import { analysisSteps, type Budget, prepareDocument, summarize } from "../text/index.ts";
import { mediaType, parseJsonText, readJson, validate } from "../validate.ts";
import { matchQueries, parseQuery } from "../watch/index.ts";
import { declaredQuery, declareRoute, IdParam } from "./openapi.ts";

export const articles = new OpenAPIHono<AppEnv>();

const NDJSON_TYPES = new Set([
  "application/x-ndjson",
  "application/ndjson",
  "application/jsonl",
  "application/x-jsonlines",
]);
const ARTICLE_QUERY_FIELDS = ["url", "title", "lang", "published_at", "source"] as const;

/** The article as a caller may see it: watch matches of other subscribers removed. */
function visibleTo(caller: Caller, a: ArticleRecord) {
  const { fingerprint: _fp, matches, ...rest } = a;
  const mine = matches.filter(
    (m) => caller.scope === "admin" || m.subscriber_id === caller.subscriberId,
  );
  return { ...rest, matches: mine.map(({ subscriber_id: _s, ...m }) => m) };
}

async function loadArticle(c: Context<AppEnv>, id: string, missing = `no article ${id}`) {
  const record = await new ArticleStore(c.env.KV).get(id);
  if (!record) throw new ApiError("not_found", missing);
  return record;
}

type BatchItem = { ok: true; value: unknown } | { ok: false; error: ApiError };

/** Reads the body as one article or a batch, by media type. */
async function readArticleBody(
  c: Context<AppEnv>,
): Promise<{ single: unknown } | { batch: BatchItem[] }> {
  const type = mediaType(c.req.header("content-type"));
  if (type === "text/plain" || type === "text/html") {
    const fields = Object.fromEntries(
      ARTICLE_QUERY_FIELDS.flatMap((k) => {
        const v = c.req.query(k);
        return v === undefined ? [] : [[k, v]];
      }),
    );
    const body = await c.req.text();
    return { single: { ...fields, [type === "text/plain" ? "text" : "html"]: body } };
  }
  if (NDJSON_TYPES.has(type)) {
    const lines = new TextDecoder()
      .decode(await c.req.arrayBuffer())
      .split(/\r?\n/)
      .filter((l) => l.trim() !== "");
    if (lines.length > MAX_BATCH) throw tooMany(lines.length);
    const items: BatchItem[] = lines.map((line) => {
      try {
        return { ok: true, value: parseJsonText(line) };
      } catch (e) {
        return { ok: false, error: e as ApiError };
      }
    });
    return { batch: items };
  }
  const json = await readJson(c);
  if (Array.isArray(json)) {
    if (json.length > MAX_BATCH) throw tooMany(json.length);
    return { batch: json.map((value): BatchItem => ({ ok: true, value })) };
  }
  return { single: json };
}

function tooMany(n: number) {
  return new ApiError("batch_too_large", `a batch holds at most ${MAX_BATCH} articles, got ${n}`, [
    { field: "(body)", message: `at most ${MAX_BATCH} items` },
  ]);
}

declareRoute(articles, "post", "/", {
  summary: "Ingest one article or a batch (JSON array or NDJSON, at most 100)",
  tag: "articles",
  scopes: ["ingest", "admin"],
  body: {
    schema: z.union([ArticleInput, z.array(ArticleInput).max(MAX_BATCH)]),
    contentTypes: ["application/json", "application/x-ndjson", "text/plain", "text/html"],
    description:
      "For text/plain and text/html bodies, url, title, lang, published_at and source go in the query string.",
  },
  ok: {
    status: 201,
    schema: z.union([ArticleResponse, BatchResult]),
    description:
      "Stored (200 with the stored record on a replay; 200 with per-item results for a batch)",
  },
  errors: [400, 413, 415, 422],
});
articles.post("/", async (c) => {
  const caller = c.get("caller");
  const body = await readArticleBody(c);
  if ("single" in body) {
    const input = validate(ArticleInput, body.single);
    const { record, replayed } = await ingestArticle(c.env, input);
    if (!replayed) c.header("location", `/v1/articles/${record.id}`);
    return c.json(visibleTo(caller, record), replayed ? 200 : 201);
  }
  const results: {
    index: number;
    status: number;
    id?: string;
    replayed?: boolean;
    error?: unknown;
  }[] = [];
  const failed = (index: number, e: unknown) => {
    const err =
      e instanceof ApiError ? e : new ApiError("internal_error", "could not store this item");
    if (!(e instanceof ApiError)) console.error("batch item failed", index, (e as Error)?.message);
    results.push({ index, status: err.status, error: problem(err.code, err.message, err.errors) });
  };
  const valid: { index: number; input: ArticleInput }[] = [];
  for (const [index, item] of body.batch.entries()) {
    try {
      if (!item.ok) throw item.error;
      valid.push({ index, input: validate(ArticleInput, item.value) });
    } catch (e) {
      failed(index, e);
    }
  }
  const outcomes = await ingestArticles(
    c.env,
    valid.map((v) => v.input),
  );
  outcomes.forEach((o, i) => {
    const index = (valid[i] as { index: number }).index;
    if (!o.ok) failed(index, o.error);
    else
      results.push({
        index,
        status: o.replayed ? 200 : 201,
        id: o.record.id,
        replayed: o.replayed,
      });
  });
  results.sort((a, b) => a.index - b.index);
  const count = (f: (r: (typeof results)[number]) => boolean) => results.filter(f).length;
  return c.json({
    items: results,
    created: count((r) => r.status === 201),
    replayed: count((r) => r.status === 200),
    failed: count((r) => r.status >= 400),
  });
});

const UrlQuery = z.object({ url: z.url().max(2048) });
declareRoute(articles, "get", "/", {
  summary: "Look an article up by its URL",
  tag: "articles",
  scopes: ["admin", "ingest", "subscriber"],
  query: UrlQuery,
  ok: { status: 200, schema: ArticleResponse, description: "The stored record" },
  errors: [404, 422],
});
articles.get("/", async (c) => {
  const { url } = declaredQuery(c, UrlQuery);
  const record = await loadArticle(c, await articleIdForUrl(url), "no article with that URL");
  return c.json(visibleTo(c.get("caller"), record));
});

declareRoute(articles, "get", "/{id}", {
  summary: "The stored article record",
  tag: "articles",
  scopes: ["admin", "ingest", "subscriber"],
  params: IdParam,
  ok: { status: 200, schema: ArticleResponse, description: "The stored record" },
  errors: [404],
});
articles.get("/:id", async (c) => {
  const record = await loadArticle(c, c.req.param("id"));
  return c.json(visibleTo(c.get("caller"), record));
});

declareRoute(articles, "get", "/{id}/summary", {
  summary: "The article's summary at the length you ask for",
  tag: "articles",
  scopes: ["admin", "ingest", "subscriber"],
  params: IdParam,
  query: SummaryQuery,
  ok: {
    status: 200,
    schema: SummaryResponse,
    description: "Summary sentences in article order (text/plain with format=text)",
  },
  errors: [404, 422],
});
articles.get("/:id/summary", async (c) => {
  const q = declaredQuery(c, SummaryQuery);
  const record = await loadArticle(c, c.req.param("id"));
  // Re-preparing the stored (already clean) text gives the same sentences; keywords are stored.
  const doc = prepareDocument({
    text: record.text,
    title: record.title,
    lang: record.lang,
    publishedAt: record.published_at ?? undefined,
  });
  const summary = summarize(doc, budgetOf(q)).map((s) => s.text);
  if (q.format === "text") return c.text(summary.join("\n"));
  return c.json({
    id: record.id,
    lang: record.lang,
    title: record.title,
    dateline: record.dateline,
    summary,
    keywords: record.keywords,
  });
});

function budgetOf(q: { sentences?: number; words?: number; ratio?: number }): Budget | undefined {
  if (q.sentences !== undefined) return { sentences: q.sentences };
  if (q.words !== undefined) return { words: q.words };
  if (q.ratio !== undefined) return { ratio: q.ratio };
  return undefined;
}

export const summarizeRoute = new OpenAPIHono<AppEnv>();
declareRoute(summarizeRoute, "post", "/", {
  summary: "Summarise an article without storing it",
  tag: "articles",
  scopes: ["admin", "ingest", "subscriber"],
  body: { schema: SummarizeInput },
  ok: { status: 200, schema: SummaryResponse, description: "The summary" },
  errors: [400, 413, 415, 422],
});
summarizeRoute.post("/", async (c) => {
  const input = validate(SummarizeInput, await readJson(c));
  const errors = (input.watch ?? []).flatMap((q, i) => {
    const r = parseQuery(q);
    return r.ok
      ? []
      : [{ field: `watch.${i}`, message: r.error.message, position: r.error.position }];
  });
  if (errors[0])
    throw new ApiError("invalid_query", `${errors[0].field}: ${errors[0].message}`, errors);
  // a long article pauses between the analysis steps, as an ingest does
  const { doc, summary, keywords } = await runInSteps(
    analysisSteps(prepareInputOf(input), budgetOf(input)),
    isLongArticle(input),
  );
  assertTextLeft(doc.text, input);
  const body = { lang: doc.lang, title: doc.title, dateline: doc.dateline, summary, keywords };
  if (!input.watch) return c.json(body);
  const matches = matchQueries(input.watch, { ...doc, source: input.source, url: input.url });
  return c.json({ ...body, text: doc.text, matches });
});
