import { describe, expect, it } from "vitest";
import {
  FEED_KEY_PREFIX,
  feedKeyUrls,
  hashFeedKey,
  isFeedKey,
  newFeedKey,
  parseFeedFile,
} from "../../../src/alerts/feed-keys.ts";
import { sha256Hex } from "../../../src/crypto.ts";

describe("feed keys", () => {
  it("are wbf_ + 32 base64url characters, random", () => {
    const keys = new Set(Array.from({ length: 200 }, () => newFeedKey()));
    expect(keys.size).toBe(200);
    for (const k of keys) {
      expect(k.startsWith(FEED_KEY_PREFIX)).toBe(true);
      expect(k).toMatch(/^wbf_[A-Za-z0-9_-]{32}$/);
      expect(isFeedKey(k)).toBe(true);
    }
    expect(isFeedKey("wbf_short")).toBe(false);
    expect(isFeedKey(`wb_sub_${"a".repeat(32)}`)).toBe(false);
  });

  it("are stored as their SHA-256, like tokens, never as themselves", async () => {
    const k = newFeedKey();
    const h = await hashFeedKey(k);
    expect(h).toBe(await sha256Hex(k));
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).not.toContain(k.slice(4));
    expect(await hashFeedKey(newFeedKey())).not.toBe(h);
  });

  it("parse /feeds/{key}.{json,atom,rss} and build the three URLs", () => {
    const k = `wbf_${"A".repeat(16)}-_${"z".repeat(14)}`;
    expect(parseFeedFile(`${k}.atom`)).toEqual({ key: k, format: "atom" });
    expect(parseFeedFile(`${k}.rss`)).toEqual({ key: k, format: "rss" });
    expect(parseFeedFile(`${k}.json`)).toEqual({ key: k, format: "json" });
    expect(parseFeedFile(`${k}.xml`)).toBeNull();
    expect(parseFeedFile(`${k}.atom.atom`)).toBeNull();
    expect(parseFeedFile("wbf_x.atom")).toBeNull();
    expect(parseFeedFile(`../${k}.atom`)).toBeNull();
    expect(feedKeyUrls("https://wirebrief.example.com/", k)).toEqual({
      json: `https://wirebrief.example.com/feeds/${k}.json`,
      atom: `https://wirebrief.example.com/feeds/${k}.atom`,
      rss: `https://wirebrief.example.com/feeds/${k}.rss`,
    });
  });
});
