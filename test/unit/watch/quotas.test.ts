import { describe, expect, it } from "vitest";
import {
  checkWatchQuotas,
  MAX_QUERIES_PER_SUBSCRIBER,
  MAX_QUERIES_PER_WATCHLIST,
  MAX_TERMS_PER_QUERY,
  MAX_WATCHLISTS_PER_SUBSCRIBER,
  parseQuery,
  queryTerms,
  watchUsage,
} from "../../../src/watch/index.ts";

describe("term counts", () => {
  it("counts words (each word of a phrase) and CJK runs, under NOT and groups too", () => {
    const n = (q: string) => {
      const r = parseQuery(q);
      return r.ok ? r.terms : -1;
    };
    expect(n("belarus")).toBe(1);
    expect(n('"belt and road"')).toBe(3);
    expect(n('"xi belarus"~10 OR chin*')).toBe(3);
    expect(n("白俄罗斯")).toBe(1);
    expect(n('"白俄罗斯 卢卡申科"~3')).toBe(2);
    expect(n("COVID-19")).toBe(2);
    expect(n("a AND (b OR c) NOT d")).toBe(4);
    expect(queryTerms("(broken")).toBe(0);
  });
});

describe("checkWatchQuotas", () => {
  it("the numbers", () => {
    expect([
      MAX_WATCHLISTS_PER_SUBSCRIBER,
      MAX_QUERIES_PER_WATCHLIST,
      MAX_TERMS_PER_QUERY,
      MAX_QUERIES_PER_SUBSCRIBER,
    ]).toEqual([100, 200, 32, 2000]);
  });
  it("at the limits is fine; one over each is reported with its limit, value and entry", () => {
    expect(
      checkWatchQuotas({
        watchlists: 100,
        queriesPerWatchlist: [200, 1],
        termsPerQuery: [32, 1],
        totalQueries: 2000,
      }),
    ).toEqual({ ok: true });
    expect(
      checkWatchQuotas({
        watchlists: 101,
        queriesPerWatchlist: [1, 201],
        termsPerQuery: 33,
        totalQueries: 2001,
      }),
    ).toEqual({
      ok: false,
      over: [
        { quota: "watchlists", limit: 100, actual: 101 },
        { quota: "queries_per_watchlist", limit: 200, actual: 201, index: 1 },
        { quota: "terms_per_query", limit: 32, actual: 33 },
        { quota: "total_queries", limit: 2000, actual: 2001 },
      ],
    });
  });
  it("watchUsage measures a subscriber's watchlists", () => {
    const long = `"${Array.from({ length: 33 }, (_, i) => `w${i}`).join(" ")}"~5`;
    const usage = watchUsage([{ queries: ["a", long] }, { queries: ["b OR c"] }]);
    expect(usage).toEqual({
      watchlists: 2,
      queriesPerWatchlist: [2, 1],
      termsPerQuery: [1, 33, 2],
      totalQueries: 3,
    });
    expect(checkWatchQuotas(usage)).toEqual({
      ok: false,
      over: [{ quota: "terms_per_query", limit: 32, actual: 33, index: 1 }],
    });
  });
});
