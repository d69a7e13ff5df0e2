import { describe, expect, it } from "vitest";
import { canonicalUrl, hostOf } from "../../../src/ingest/canonical-url.ts";

describe("canonicalUrl", () => {
  it("drops what does not change the story", () => {
    expect(canonicalUrl("HTTP://WWW.Example.COM:80/news/1/?utm_source=x&b=2&a=1#top")).toBe(
      "https://example.com/news/1?a=1&b=2",
    );
    expect(canonicalUrl("https://user:pw@example.com/a?fbclid=zzz")).toBe("https://example.com/a");
  });

  it("keeps what does", () => {
    expect(canonicalUrl("https://example.com/a?id=1")).not.toBe(
      canonicalUrl("https://example.com/a?id=2"),
    );
    expect(canonicalUrl("https://example.com/A")).not.toBe(canonicalUrl("https://example.com/a"));
  });

  it("hostOf", () => {
    expect(hostOf("https://www.Xinhuanet.com/x")).toBe("xinhuanet.com");
    expect(hostOf("nonsense")).toBeNull();
    expect(hostOf(null)).toBeNull();
  });
});
