import type { Alert } from "../../../src/alerts/types.ts";

/** A realistic alert for tests; override any field. */
export function makeAlert(over: Partial<Alert> = {}): Alert {
  return {
    id: "alt_01JDQ3V7Z6ZK9T0000000000",
    subscriber_id: "sub_1",
    watchlist_id: "wl_1",
    watchlist_name: "China & Belarus",
    article_id: "art_c8cb610de76613b3",
    cluster_id: "clu_1",
    url: "https://arabic.news.cn/2021-01/26/c_139698912.htm",
    title: "الصين وبيلاروس توقعان اتفاقية",
    summary: ["بكين 26 يناير 2021 (شينخوا) وقعت الصين وبيلاروس اتفاقية.", "Second sentence."],
    lang: "ar",
    matches: [
      {
        query: "الصين",
        total: 1,
        hits: [
          {
            field: "title",
            start: 0,
            end: 5,
            text: "الصين",
            snippet: "الصين وبيلاروس توقعان اتفاقية",
          },
          {
            field: "text",
            start: 30,
            end: 35,
            text: "الصين",
            snippet: "وقعت الصين وبيلاروس اتفاقية.",
          },
        ],
      },
    ],
    also_reported: [
      { article_id: "art_2", url: "https://example.net/copy", title: "Copy & paste <b>" },
    ],
    created_at: "2026-11-27T10:00:00.000Z",
    status: "pending",
    ...over,
  };
}
