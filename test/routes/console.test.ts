import { describe, expect, it } from "vitest";
import { call } from "./helpers.ts";

// The web console is static: a page, a stylesheet, a module and an icon, under a strict CSP.
describe("GET / (the web console)", { timeout: 30_000 }, () => {
  it("serves the page with a strict Content-Security-Policy and no token", async () => {
    const res = await call("GET", "/", { token: null });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    // No inline script or style anywhere in the page.
    expect(res.text).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.text).not.toMatch(/\sstyle=|<style/);
    expect(res.text).toContain('src="/console/console.js"');
  });

  it("serves its assets with their types; anything else under /console is a 404", async () => {
    for (const [path, type] of [
      ["/console/console.js", /^text\/javascript/],
      ["/console/console.css", /^text\/css/],
      ["/console/icon.svg", /^image\/svg\+xml/],
    ] as const) {
      const res = await call("GET", path, { token: null });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(type);
    }
    const missing = await call("GET", "/console/nope.js", { token: null });
    expect(missing.status).toBe(404);
  });

  it("the script reads no other origin and never writes HTML from strings", async () => {
    const js = (await call("GET", "/console/console.js", { token: null })).text;
    expect(js).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/);
    expect(js).not.toMatch(/fetch\(\s*["']https?:/);
    expect(js).toContain("sessionStorage");
    expect(js).not.toContain("localStorage");
  });
});
