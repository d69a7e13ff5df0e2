import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkWebhookUrl } from "../../../src/alerts/url-safety.ts";

const strict = { allowLocal: false };
const local = { allowLocal: true };

const REJECTED: string[] = [
  // scheme and port
  "http://hooks.example.com/in",
  "https://hooks.example.com:8443/in",
  "https://hooks.example.com:80/in",
  "ftp://hooks.example.com/in",
  "file:///etc/passwd",
  "javascript:alert(1)",
  "data:text/plain,hi",
  "gopher://hooks.example.com/",
  "ws://hooks.example.com/",
  // userinfo
  "https://user:pass@hooks.example.com/in",
  "https://user@hooks.example.com/in",
  "https://:pass@hooks.example.com/in",
  "https://hooks.example.com@evil.example.net/in",
  // not a URL
  "",
  "hooks.example.com/in",
  "/relative/path",
  "https://",
  `https://hooks.example.com/${"a".repeat(3000)}`,
  // private, loopback, link-local, CGNAT, this-network, reserved
  "https://10.0.0.1/",
  "https://10.255.255.255/",
  "https://172.16.0.1/",
  "https://172.31.255.254/",
  "https://192.168.1.1/",
  "https://127.0.0.1/",
  "https://127.0.0.2/",
  "https://127.255.255.255/",
  "https://169.254.169.254/latest/meta-data/",
  "https://169.254.0.1/",
  "https://100.64.0.1/",
  "https://100.127.255.254/",
  "https://0.0.0.0/",
  "https://0.1.2.3/",
  "https://224.0.0.1/",
  "https://239.255.255.250/",
  "https://240.0.0.1/",
  "https://255.255.255.255/",
  "https://192.0.0.1/",
  "https://192.0.2.1/",
  "https://198.18.0.1/",
  "https://198.51.100.7/",
  "https://203.0.113.9/",
  // odd IPv4 notations of loopback / private / metadata
  "https://2130706433/",
  "http://2130706433/",
  "https://0x7f.1/",
  "https://0x7f000001/",
  "https://0177.0.0.1/",
  "https://0177.1/",
  "https://127.1/",
  "https://127.0.1/",
  "https://0/",
  "https://0x0/",
  "https://017700000001/",
  "https://%31%32%37.0.0.1/",
  "https://127.0.0.1./",
  "https://0xa9.0xfe.0xa9.0xfe/",
  "https://2852039166/",
  "https://0xA9FEA9FE/",
  "https://3232235777/",
  "https://012.0.0.1/",
  // IPv6
  "https://[::1]/",
  "https://[0:0:0:0:0:0:0:1]/",
  "https://[::]/",
  "https://[fc00::1]/",
  "https://[fd12:3456:789a::1]/",
  "https://[fe80::1]/",
  "https://[febf::1]/",
  "https://[fec0::1]/",
  "https://[ff02::1]/",
  "https://[::ffff:127.0.0.1]/",
  "https://[::ffff:7f00:1]/",
  "https://[::ffff:169.254.169.254]/",
  "https://[::ffff:a9fe:a9fe]/",
  "https://[::ffff:8.8.8.8]/",
  "https://[::127.0.0.1]/",
  "https://[64:ff9b::10.0.0.1]/",
  "https://[64:ff9b::7f00:1]/",
  "https://[64:ff9b::169.254.169.254]/",
  "https://[64:ff9b:1::1]/",
  "https://[2002:7f00:1::]/",
  "https://[2002:c0a8:101::1]/",
  "https://[2001:db8::1]/",
  "https://[2001::1]/",
  "https://[100::1]/",
  "https://[::ffff:0:7f00:1]/",
  // special-use and internal names
  "https://localhost/",
  "https://LOCALHOST/",
  "https://localhost./",
  "https://api.localhost/",
  "https://printer.local/",
  "https://metadata.google.internal/computeMetadata/v1/",
  "https://metadata.google.internal./",
  "https://db.internal/",
  "https://router.home.arpa/",
  "https://1.0.0.127.in-addr.arpa/",
  "https://nas.lan/",
  "https://wiki.corp/",
  "https://box.localdomain/",
  "https://hooks.test/",
  "https://x.invalid/",
  "https://x.onion/",
  "https://intranet/",
  "https://metadata/",
  "https://kubernetes/",
  "https://127.0.0.1.nip.io/",
  "https://app.127-0-0-1.sslip.io/",
  "https://localtest.me/",
  "https://foo.lvh.me/",
  // local hosts without allowLocal
  "http://localhost:8788/",
  "http://127.0.0.1:8788/",
  "http://[::1]:8788/",
  "https://localhost/",
];

const ACCEPTED: string[] = [
  "https://hooks.example.com/in",
  "https://hooks.example.com:443/in",
  "HTTPS://Hooks.Example.COM/in?token=abc#frag",
  "https://example.org./webhook",
  "https://8.8.8.8/hook",
  "https://1.1.1.1/",
  "https://[2606:4700:4700::1111]/hook",
  "https://[64:ff9b::8.8.8.8]/hook",
  "https://xn--mgbh0fb.xn--kgbechtv/hook",
  "https://مثال.إختبار/hook",
  "https://a.b.c.example.co.uk/x/y",
  "https://172.32.0.1/",
  "https://100.128.0.1/",
  "https://192.169.0.1/",
];

describe("checkWebhookUrl", () => {
  it.each(REJECTED)("rejects %s", (raw) => {
    const r = checkWebhookUrl(raw, strict);
    expect(r.ok, raw).toBe(false);
    if (!r.ok) expect(r.reason.length).toBeGreaterThan(0);
  });

  it.each(ACCEPTED)("accepts %s", (raw) => {
    const r = checkWebhookUrl(raw, strict);
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (r.ok) expect(r.url.protocol).toBe("https:");
  });

  it("allows localhost, 127.0.0.1 and [::1] on any port, http or https, only with allowLocal", () => {
    for (const raw of [
      "http://localhost:8788/",
      "http://127.0.0.1:8788/hook",
      "http://[::1]:8788/",
      "https://localhost/",
      "http://localhost./",
      "http://127.0.0.1/",
    ]) {
      expect(checkWebhookUrl(raw, local).ok, raw).toBe(true);
      expect(checkWebhookUrl(raw, strict).ok, raw).toBe(false);
    }
  });

  it("with allowLocal still rejects other local and private targets", () => {
    for (const raw of [
      "http://127.0.0.2:8788/",
      "http://2130706433:8788/",
      "http://0x7f.1:8788/",
      "http://10.0.0.1/",
      "http://169.254.169.254/",
      "http://api.localhost:8788/",
      "http://hooks.example.com/",
      "https://[fe80::1]/",
      "http://user:pw@localhost:8788/",
      "https://metadata.google.internal/",
    ]) {
      expect(checkWebhookUrl(raw, local).ok, raw).toBe(false);
    }
  });

  it("rejects every IPv4 literal in a bad range, whatever the notation", () => {
    const bad = fc.oneof(
      fc.tuple(fc.constant(10), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(127), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.constant([127, 0, 0, 1] as [number, number, number, number]),
      fc.tuple(fc.constant(169), fc.constant(254), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(192), fc.constant(168), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.constant(0), fc.nat(255), fc.nat(255), fc.nat(255)),
      fc.tuple(fc.integer({ min: 224, max: 255 }), fc.nat(255), fc.nat(255), fc.nat(255)),
    );
    fc.assert(
      fc.property(bad, fc.nat(3), ([a, b, c, d], style) => {
        const n = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
        const host = [
          `${a}.${b}.${c}.${d}`,
          String(n),
          `0x${n.toString(16)}`,
          [a, b, c, d].map((o) => `0${o.toString(8)}`).join("."),
        ][style];
        const v6 = `[::ffff:${a}.${b}.${c}.${d}]`;
        return (
          !checkWebhookUrl(`https://${host}/`, strict).ok &&
          !checkWebhookUrl(`https://${v6}/`, strict).ok &&
          checkWebhookUrl(`https://${host}/`, local).ok === (n === 0x7f000001 && style === 0)
        );
      }),
    );
  });

  it("never throws on arbitrary input", () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = checkWebhookUrl(s, strict);
        return typeof r.ok === "boolean";
      }),
    );
    fc.assert(
      fc.property(fc.webUrl(), (u) => {
        const r = checkWebhookUrl(u, strict);
        return typeof r.ok === "boolean";
      }),
    );
  });
});
