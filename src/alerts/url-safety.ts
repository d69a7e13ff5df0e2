import type { ChannelType } from "./channels/types.ts";
/**
 * Webhook URL safety (SSRF guard), checked at registration and again before each send.
 * Works on the WHATWG-parsed URL, so odd IPv4 notations (`2130706433`, `0x7f.1`,
 * `0177.0.0.1`, `127.1`) are judged by the dotted quad they canonicalise to.
 * Names that resolve to private addresses via DNS are out of reach here; production
 * relies on `global_fetch_strictly_public` for that.
 */

/** Result of {@link checkWebhookUrl}. */
export type UrlCheck = { ok: true; url: URL } | { ok: false; reason: string };

/** Options of {@link checkWebhookUrl}. */
export interface UrlCheckOptions {
  /** `ALLOW_LOCAL_WEBHOOKS`: permit http/https to localhost, 127.0.0.1, [::1] on any port. */
  allowLocal: boolean;
}

/** Longest webhook URL accepted. */
export const MAX_WEBHOOK_URL_LENGTH = 2048;

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

/** Special-use names (RFC 6761/6762/8375 and common internal suffixes). */
const BLOCKED_SUFFIXES = [
  "localhost",
  "local",
  "internal",
  "home.arpa",
  "arpa",
  "lan",
  "intranet",
  "corp",
  "localdomain",
  "test",
  "invalid",
  "example",
  "onion",
];

/** Public wildcard-DNS names that resolve to loopback or to an IP written in the name. */
const BLOCKED_DOMAINS = [
  "nip.io",
  "sslip.io",
  "xip.io",
  "localtest.me",
  "lvh.me",
  "vcap.me",
  "traefik.me",
];

/**
 * IPv4 ranges (CIDR) that must never be a webhook target: every block of the IANA IPv4
 * Special-Purpose Address Registry (whatever its "globally reachable" flag says: none is a
 * place a webhook lives), plus multicast and the rest of 240/4.
 */
const BAD_V4: readonly [string, number, string][] = [
  ["0.0.0.0", 8, "this-network (0/8)"],
  ["10.0.0.0", 8, "private (10/8)"],
  ["100.64.0.0", 10, "carrier-grade NAT (100.64/10)"],
  ["127.0.0.0", 8, "loopback (127/8)"],
  ["169.254.0.0", 16, "link-local / metadata (169.254/16)"],
  ["172.16.0.0", 12, "private (172.16/12)"],
  ["192.0.0.0", 24, "IETF protocol assignments (192.0.0/24)"],
  ["192.0.2.0", 24, "documentation (192.0.2/24)"],
  ["192.31.196.0", 24, "AS112-v4 (192.31.196/24)"],
  ["192.52.193.0", 24, "AMT (192.52.193/24)"],
  ["192.88.99.0", 24, "6to4 relay (192.88.99/24)"],
  ["192.168.0.0", 16, "private (192.168/16)"],
  ["192.175.48.0", 24, "AS112 direct delegation (192.175.48/24)"],
  ["198.18.0.0", 15, "benchmarking (198.18/15)"],
  ["198.51.100.0", 24, "documentation (198.51.100/24)"],
  ["203.0.113.0", 24, "documentation (203.0.113/24)"],
  ["224.0.0.0", 4, "multicast (224/4)"],
  ["240.0.0.0", 4, "reserved / broadcast (240/4)"],
];

/**
 * IPv6 ranges (first hextets, prefix length) that are never a webhook target: the IANA
 * IPv6 Special-Purpose Address Registry (2025) and the non-unicast parts of the address
 * space. The embedded-IPv4 forms (::/96, ::ffff:0:0/96) are judged separately, by the
 * IPv4 address they carry. Anything outside 2000::/3 is rejected after this table.
 */
const BAD_V6: readonly [number[], number, string][] = [
  [[0x0064, 0xff9b], 96, "NAT64 well-known prefix (64:ff9b::/96)"],
  [[0x0064, 0xff9b, 0x0001], 48, "local-use NAT64 (64:ff9b:1::/48)"],
  [[0x0100, 0, 0, 0], 64, "discard-only (100::/64)"],
  // 2001::/23 holds Teredo, PCP/TURN/DNS anycast, benchmarking (2001:2::/48), AMT
  // (2001:3::/32), AS112-v6 (2001:4:112::/48), ORCHID, ORCHIDv2 and drone remote ID.
  [[0x2001, 0x0000], 23, "IETF protocol assignments (2001::/23)"],
  [[0x2001, 0x0db8], 32, "IPv6 documentation (2001:db8::/32)"],
  [[0x2002], 16, "6to4 (2002::/16)"],
  [[0x2620, 0x004f, 0x8000], 48, "direct delegation AS112 (2620:4f:8000::/48)"],
  [[0x3fff, 0x0000], 20, "IPv6 documentation (3fff::/20)"],
  [[0x5f00], 16, "SRv6 SIDs (5f00::/16)"],
  [[0xfc00], 7, "IPv6 unique local (fc00::/7)"],
  [[0xfe80], 10, "IPv6 link-local (fe80::/10)"],
  [[0xfec0], 10, "IPv6 site-local (fec0::/10)"],
  [[0xff00], 8, "IPv6 multicast (ff00::/8)"],
];

/** Whether the first `bits` bits of the 8 groups `g` equal those of `prefix`. */
function v6InPrefix(g: number[], prefix: number[], bits: number): boolean {
  for (let i = 0; i * 16 < bits; i++) {
    const take = Math.min(16, bits - i * 16);
    const mask = (0xffff << (16 - take)) & 0xffff;
    if (((g[i] ?? 0) & mask) !== ((prefix[i] ?? 0) & mask)) return false;
  }
  return true;
}

function v4ToInt(s: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  let n = 0;
  for (let i = 1; i <= 4; i++) {
    const o = Number(m[i]);
    if (o > 255) return null;
    n = n * 256 + o;
  }
  return n;
}

function intToV4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** Why an IPv4 address (as a 32-bit number) is not public, or null when it is. */
function badV4Reason(ip: number): string | null {
  for (const [base, bits, why] of BAD_V4) {
    const b = v4ToInt(base) as number;
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if ((ip & mask) >>> 0 === (b & mask) >>> 0) return why;
  }
  return null;
}

/** Parse an IPv6 literal (without brackets) into 8 groups; accepts an embedded IPv4 tail. */
function parseV6(s: string): number[] | null {
  let text = s.toLowerCase();
  const v4tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4tail?.[1]) {
    const n = v4ToInt(v4tail[1]);
    if (n === null) return null;
    text = `${text.slice(0, -v4tail[1].length)}${(n >>> 16).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const halves = text.split("::");
  if (halves.length > 2) return null;
  const parse = (part: string | undefined): number[] | null => {
    if (!part) return [];
    const out: number[] = [];
    for (const g of part.split(":")) {
      if (!/^[0-9a-f]{1,4}$/.test(g)) return null;
      out.push(Number.parseInt(g, 16));
    }
    return out;
  };
  const head = parse(halves[0]);
  const tail = parse(halves[1]);
  if (!head || !tail) return null;
  if (halves.length === 1) return head.length === 8 ? head : null;
  const fill = 8 - head.length - tail.length;
  if (fill < 1) return null;
  return [...head, ...new Array<number>(fill).fill(0), ...tail];
}

/** Why an IPv6 address is not a public unicast target, or null when it is. */
function badV6Reason(g: number[]): string | null {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embedded = ((g6 << 16) | g7) >>> 0;
  const firstFiveZero = g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0;
  if (firstFiveZero && g5 === 0 && g6 === 0 && g7 === 0) return "unspecified IPv6 (::)";
  if (firstFiveZero && g5 === 0 && g6 === 0 && g7 === 1) return "IPv6 loopback (::1)";
  if (firstFiveZero && g5 === 0xffff) return `IPv4-mapped IPv6 (${intToV4(embedded)})`;
  if (firstFiveZero && g5 === 0) return `IPv4-compatible IPv6 (${intToV4(embedded)})`;
  if (g0 === 0 && g1 === 0 && g2 === 0 && g3 === 0 && g4 === 0xffff && g5 === 0) {
    return "IPv4-translated IPv6 (::ffff:0:0:0/96)";
  }
  for (const [prefix, bits, why] of BAD_V6) if (v6InPrefix(g, prefix, bits)) return why;
  if ((g0 & 0xe000) !== 0x2000) return "IPv6 outside global unicast (2000::/3)";
  return null;
}

/** Why a parsed hostname is not an acceptable public target, or null when it is. */
function badHostReason(host: string): string | null {
  if (host.startsWith("[")) {
    const g = parseV6(host.slice(1, -1));
    if (!g) return "unparseable IPv6 literal";
    return badV6Reason(g);
  }
  const name = host.replace(/\.+$/, "");
  const v4 = v4ToInt(name);
  if (v4 !== null) return badV4Reason(v4);
  if (name.length === 0) return "empty host";
  if (!name.includes(".")) return "host name without a dot";
  for (const sfx of BLOCKED_SUFFIXES) {
    if (name === sfx || name.endsWith(`.${sfx}`)) return `special-use name (.${sfx})`;
  }
  for (const d of BLOCKED_DOMAINS) {
    if (name === d || name.endsWith(`.${d}`)) return `wildcard DNS name (${d})`;
  }
  const labels = name.split(".");
  if (labels.some((l) => l.length === 0)) return "empty label in host name";
  const tld = labels[labels.length - 1] ?? "";
  if (/^\d+$/.test(tld)) return "numeric top-level label";
  return null;
}

/**
 * Decide whether `raw` may be a webhook target: https on port 443 to a public name or
 * address, no userinfo; http/https to localhost, 127.0.0.1 or [::1] on any port only
 * when `allowLocal`.
 * @example checkWebhookUrl("https://hooks.example.com/in", { allowLocal: false }) // { ok: true, url }
 */
export function checkWebhookUrl(raw: string, opts: UrlCheckOptions): UrlCheck {
  if (typeof raw !== "string" || raw.length === 0) return { ok: false, reason: "empty URL" };
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) return { ok: false, reason: "URL too long" };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "not a valid absolute URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return { ok: false, reason: `scheme ${url.protocol.replace(/:$/, "")} not allowed` };
  }
  if (url.username !== "" || url.password !== "") {
    return { ok: false, reason: "credentials (userinfo) in URL not allowed" };
  }
  const host = url.hostname.replace(/\.+$/, "");
  if (LOCAL_HOSTS.has(host)) {
    // Only the plain spellings count as local: `2130706433` or `0x7f.1` stay rejected.
    const written = /^[a-z][a-z0-9+.-]*:\/\/([^/?#\\]*)/i.exec(raw.trim())?.[1] ?? "";
    const writtenHost = written.replace(/:\d*$/, "").replace(/\.+$/, "").toLowerCase();
    if (opts.allowLocal && LOCAL_HOSTS.has(writtenHost)) return { ok: true, url };
    if (opts.allowLocal) return { ok: false, reason: "local address must be written plainly" };
    return { ok: false, reason: "local address not allowed (ALLOW_LOCAL_WEBHOOKS is off)" };
  }
  if (url.protocol !== "https:") return { ok: false, reason: "webhook URL must use https" };
  if (url.port !== "") return { ok: false, reason: "webhook URL must use port 443" };
  const why = badHostReason(url.hostname);
  if (why) return { ok: false, reason: `host not allowed: ${why}` };
  return { ok: true, url };
}

/** Discord's webhook hosts (the API answers on each; discordapp.com is the old name). */
const DISCORD_HOSTS = new Set([
  "discord.com",
  "discordapp.com",
  "canary.discord.com",
  "ptb.discord.com",
]);

/**
 * Teams Workflows webhook hosts: a "Send webhook alerts to a channel" workflow gets a URL on
 * an Azure Logic Apps host (`prod-NN.<region>.logic.azure.com`) or, for newer flows, on a
 * Power Platform environment host (`<env>.<nn>.environment.api.powerplatform.com`).
 */
const TEAMS_HOST_SUFFIXES = [".logic.azure.com", ".environment.api.powerplatform.com"];

/** Why `url` is not a webhook URL of the platform, or null when it is. */
function platformReason(type: ChannelType, url: URL): string | null {
  const host = url.hostname.toLowerCase().replace(/\.+$/, "");
  switch (type) {
    case "webhook":
      return null;
    case "slack":
      // Slack incoming webhooks: https://hooks.slack.com/services/T.../B.../secret
      if (host !== "hooks.slack.com") return "a Slack channel URL must be on hooks.slack.com";
      if (!/^\/services\/[^/]+\/[^/]+\/[^/]+\/?$/.test(url.pathname)) {
        return "a Slack incoming-webhook URL looks like https://hooks.slack.com/services/T…/B…/…";
      }
      return null;
    case "discord":
      // Discord Execute Webhook: /api[/vN]/webhooks/{webhook.id}/{webhook.token}
      if (!DISCORD_HOSTS.has(host)) return "a Discord channel URL must be on discord.com";
      if (!/^\/api(\/v\d+)?\/webhooks\/\d+\/[\w-]+\/?$/.test(url.pathname)) {
        return "a Discord webhook URL looks like https://discord.com/api/webhooks/{id}/{token}";
      }
      return null;
    case "teams":
      if (!TEAMS_HOST_SUFFIXES.some((s) => host.endsWith(s) && host.length > s.length)) {
        return "a Teams channel URL must be a Workflows webhook (*.logic.azure.com or *.environment.api.powerplatform.com)";
      }
      return null;
  }
}

/**
 * Decide whether `raw` may be the URL of a channel of `type`: the webhook rules of
 * {@link checkWebhookUrl} (https, port 443, public host), and for `slack`, `discord` and
 * `teams` the platform's own webhook host and path. With `allowLocal`, a plainly written
 * local URL is accepted for every type (for local receivers and tests).
 * @example checkChannelUrl("slack", "https://hooks.slack.com/services/T1/B2/x", { allowLocal: false }) // { ok: true, url }
 */
export function checkChannelUrl(type: ChannelType, raw: string, opts: UrlCheckOptions): UrlCheck {
  const base = checkWebhookUrl(raw, opts);
  if (!base.ok) return base;
  if (opts.allowLocal && LOCAL_HOSTS.has(base.url.hostname.replace(/\.+$/, ""))) return base;
  const why = platformReason(type, base.url);
  return why ? { ok: false, reason: why } : base;
}

/**
 * A channel URL as the API shows it after creation: the secret part of a chat platform's
 * webhook URL (Slack's and Discord's last path segment, a Teams workflow's query with its
 * `sig`) replaced by `…`. Webhook URLs are shown whole, like `webhook_url`.
 * @example redactChannelUrl("slack", "https://hooks.slack.com/services/T1/B2/abc") // ".../T1/B2/…"
 */
export function redactChannelUrl(type: ChannelType, raw: string): string {
  if (type === "webhook") return raw;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "…";
  }
  const path = url.pathname.replace(/\/+$/, "");
  const cut = path.lastIndexOf("/");
  const base = `${url.protocol}//${url.host}`;
  if (type === "teams") return `${base}${url.pathname}${url.search ? "?…" : ""}`;
  return `${base}${cut > 0 ? path.slice(0, cut) : ""}/…`;
}
