/**
 * The seed article (fixtures/seed-ar-xinhua.txt) as an alert, built with the real pipeline:
 * summary from src/text, hits from src/watch for the README's watchlist.
 */

import { readFileSync } from "node:fs";
import type { Digest } from "../../../src/alerts/channels/types.ts";
import type { Alert } from "../../../src/alerts/types.ts";
import { analyzeArticle } from "../../../src/text/index.ts";
import { matchQueries } from "../../../src/watch/index.ts";

const SEED = new URL("../../../fixtures/seed-ar-xinhua.txt", import.meta.url);

/** A title for the seed (the wire text has none). */
export const SEED_TITLE =
  "شي يدعو الصين وبيلاروسيا إلى دفع التعاون عالي الجودة في إطار الحزام والطريق";
export const SEED_QUERIES = ["الصين AND بيلاروسيا", '"الحزام والطريق"', "لوكاشينكو"];

export function seedAlert(): Alert {
  const text = readFileSync(SEED, "utf8");
  const { doc, summary } = analyzeArticle({ text, title: SEED_TITLE, publishedAt: "2021-01-26" });
  const matches = matchQueries(SEED_QUERIES, {
    text: doc.text,
    title: doc.title,
    lang: doc.lang,
    sentences: doc.sentences,
  });
  return {
    id: "alr_3c9f0d2b7e41a6c58d90f1e2",
    subscriber_id: "sub_arabicdesk",
    watchlist_id: "wl_china_belarus",
    watchlist_name: "China-Belarus",
    article_id: "art_c8cb610de76613b3",
    cluster_id: "clu_c8cb610de76613b3",
    url: "https://arabic.news.cn/seed",
    title: doc.title,
    summary,
    lang: doc.lang,
    matches,
    also_reported: [
      {
        article_id: "art_5d1e",
        url: "https://www.alwatan.example/2021/01/26/xi-lukashenko",
        title: "شي ولوكاشينكو يبحثان التعاون",
      },
      { article_id: "art_77a0", url: null, title: "الصين وبيلاروسيا: الحزام والطريق" },
    ],
    created_at: "2021-01-26T10:15:00.000Z",
    status: "pending",
  };
}

/** A daily digest with the seed story and two more (Chinese and English). */
export function seedDigest(): Digest {
  const ar = seedAlert();
  const zh: Alert = {
    ...ar,
    id: "alr_zh1",
    article_id: "art_zh1",
    cluster_id: "clu_zh1",
    url: "https://www.news.cn/world/2021-01/26/c_1127027780.htm",
    title: "习近平同白俄罗斯总统卢卡申科通电话",
    summary: ["新华社北京1月26日电 国家主席习近平26日下午同白俄罗斯总统卢卡申科通电话。"],
    lang: "zh",
    watchlist_name: "中国-白俄罗斯",
    matches: [
      {
        query: "白俄罗斯",
        total: 1,
        hits: [
          {
            field: "title",
            start: 3,
            end: 7,
            text: "白俄罗斯",
            snippet: "习近平同白俄罗斯总统卢卡申科通电话",
          },
        ],
      },
    ],
    also_reported: [],
    created_at: "2021-01-26T11:00:00.000Z",
  };
  const en: Alert = {
    ...ar,
    id: "alr_en1",
    article_id: "art_en1",
    cluster_id: "clu_en1",
    url: "https://english.news.cn/2021-01/26/c_139698999.htm",
    title: "Xi, Lukashenko hold phone talks on Belt and Road cooperation",
    summary: [
      "Chinese President Xi Jinping on Tuesday held phone talks with Belarusian President Alexander Lukashenko.",
    ],
    lang: "en",
    watchlist_name: "China-Belarus (English)",
    matches: [
      {
        query: "lukashenko",
        total: 1,
        hits: [
          {
            field: "title",
            start: 4,
            end: 14,
            text: "Lukashenko",
            snippet: "Xi, Lukashenko hold phone talks on Belt and Road cooperation",
          },
        ],
      },
    ],
    also_reported: [{ article_id: "art_en2", url: null, title: "copy" }],
    created_at: "2021-01-26T12:30:00.000Z",
  };
  return {
    id: "dig_2021-01-27_sub_arabicdesk",
    subscriber_id: "sub_arabicdesk",
    mode: "daily",
    timezone: "Asia/Shanghai",
    period_start: "2021-01-26T00:00:00.000Z",
    period_end: "2021-01-27T00:00:00.000Z",
    alert_count: 3,
    stories: [
      { cluster_id: "clu_en1", alerts: [en] },
      { cluster_id: "clu_zh1", alerts: [zh] },
      { cluster_id: ar.cluster_id, alerts: [ar] },
    ],
  };
}
