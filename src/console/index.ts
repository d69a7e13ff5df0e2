/**
 * The web console at `/`: one static page, its stylesheet and its script, served from
 * strings by the Worker (no build step, no CDN) under a strict Content-Security-Policy.
 * The page talks to the public API only, with a token kept in the tab's sessionStorage.
 */
import { Hono } from "hono";
import type { AppEnv } from "../env.ts";
import { CONSOLE_HTML, CONSOLE_ICON } from "./page.ts";
import { CONSOLE_JS } from "./script.ts";
import { CONSOLE_CSS } from "./style.ts";

/** No inline script or style, nothing from other origins, no framing, no form posts. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
].join("; ");

const SECURITY_HEADERS = {
  "content-security-policy": CONSOLE_CSP,
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "cache-control": "no-cache",
};

function asset(body: string, contentType: string) {
  return () =>
    new Response(body, { headers: { ...SECURITY_HEADERS, "content-type": contentType } });
}

/** Routes `/` and `/console/*`; mounted at the root of the app. */
export const consoleApp = new Hono<AppEnv>();
consoleApp.get("/", asset(CONSOLE_HTML, "text/html; charset=utf-8"));
consoleApp.get("/console/console.js", asset(CONSOLE_JS, "text/javascript; charset=utf-8"));
consoleApp.get("/console/console.css", asset(CONSOLE_CSS, "text/css; charset=utf-8"));
consoleApp.get("/console/icon.svg", asset(CONSOLE_ICON, "image/svg+xml"));
