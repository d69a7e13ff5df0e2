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
  "https://[64:ff9b::8.8.8.8]/hook",
  "https://[2001:2::1]/",
  "https://[2001:3::1]/",
  "https://[2001:3:ffff::1]/",
  "https://[2001:4:112::1]/",
  "https://[2620:4f:8000::1]/",
  "https://[3fff::1]/",
  "https://192.52.193.1/",
  "https://192.175.48.1/",
  "https://192.31.196.1/",
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

  it("rejects every address in the IANA special-purpose registries, accepts global unicast", () => {
    // Written from the IANA IPv4 and IPv6 Special-Purpose Address Registries (and the
    // non-unicast address space), independently of the table in url-safety.ts.
    const V6 = [
      "::/128",
      "::1/128",
      "::ffff:0:0/96",
      "::/96",
      "::ffff:0:0:0/96",
      "64:ff9b::/96",
      "64:ff9b:1::/48",
      "100::/64",
      "2001::/23",
      "2001::/32",
      "2001:1::1/128",
      "2001:1::2/128",
      "2001:1::3/128",
      "2001:2::/48",
      "2001:3::/32",
      "2001:4:112::/48",
      "2001:10::/28",
      "2001:20::/28",
      "2001:30::/28",
      "2001:db8::/32",
      "2002::/16",
      "2620:4f:8000::/48",
      "3fff::/20",
      "5f00::/16",
      "fc00::/7",
      "fe80::/10",
      "fec0::/10",
      "ff00::/8",
    ];
    const V4 = [
      "0.0.0.0/8",
      "10.0.0.0/8",
      "100.64.0.0/10",
      "127.0.0.0/8",
      "169.254.0.0/16",
      "172.16.0.0/12",
      "192.0.0.0/24",
      "192.0.0.9/32",
      "192.0.0.10/32",
      "192.0.2.0/24",
      "192.31.196.0/24",
      "192.52.193.0/24",
      "192.88.99.0/24",
      "192.168.0.0/16",
      "192.175.48.0/24",
      "198.18.0.0/15",
      "198.51.100.0/24",
      "203.0.113.0/24",
      "240.0.0.0/4",
      "255.255.255.255/32",
      "224.0.0.0/4",
    ];
    const v6Groups = (s: string): number[] => {
      const [head = "", tail = ""] = s.split("::");
      const h = head ? head.split(":").map((x) => Number.parseInt(x, 16)) : [];
      const t = tail ? tail.split(":").map((x) => Number.parseInt(x, 16)) : [];
      return s.includes("::") ? [...h, ...new Array(8 - h.length - t.length).fill(0), ...t] : h;
    };
    const inV6 = (g: number[], cidr: string) => {
      const [base = "", len = "0"] = cidr.split("/");
      const b = v6Groups(base);
      let bits = Number(len);
      for (let i = 0; i < 8 && bits > 0; i++, bits -= 16) {
        const mask = (0xffff << (16 - Math.min(16, bits))) & 0xffff;
        if (((g[i] ?? 0) & mask) !== ((b[i] ?? 0) & mask)) return false;
      }
      return true;
    };
    const v4Int = (s: string) => s.split(".").reduce((n, o) => n * 256 + Number(o), 0);
    const inV4 = (n: number, cidr: string) => {
      const [base = "", len = "0"] = cidr.split("/");
      const size = 2 ** (32 - Number(len));
      return Math.floor(n / size) === Math.floor(v4Int(base) / size);
    };
    const hextet = fc.integer({ min: 0, max: 0xffff });
    // An address in a random special block: its prefix, then random bits.
    const inBlockV6 = fc
      .tuple(fc.constantFrom(...V6), fc.array(hextet, { minLength: 8, maxLength: 8 }))
      .map(([cidr, rnd]) => {
        const [base = "", len = "0"] = cidr.split("/");
        const b = v6Groups(base);
        const bits = Number(len);
        return rnd.map((r, i) => {
          const keep = Math.max(0, Math.min(16, bits - i * 16));
          const mask = (0xffff << (16 - keep)) & 0xffff;
          return ((b[i] ?? 0) & mask) | (r & ~mask & 0xffff);
        });
      });
    const show = (g: number[]) => `https://[${g.map((x) => x.toString(16)).join(":")}]/`;
    fc.assert(
      fc.property(inBlockV6, (g) => !checkWebhookUrl(show(g), strict).ok),
      { numRuns: 5000 },
    );
    // Random global unicast (2000::/3) outside every block: accepted.
    fc.assert(
      fc.property(
        fc
          .array(hextet, { minLength: 8, maxLength: 8 })
          .map(([g0 = 0, ...rest]) => [0x2000 | (g0 & 0x1fff), ...rest]),
        (g) => V6.some((c) => inV6(g, c)) || checkWebhookUrl(show(g), strict).ok,
      ),
      { numRuns: 5000 },
    );
    // IPv4: every special block rejected; anything outside all of them accepted.
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (n) => {
        const dotted = [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
        const special = V4.some((c) => inV4(n, c));
        return checkWebhookUrl(`https://${dotted}/`, strict).ok === !special;
      }),
      { numRuns: 20000 },
    );
    for (const cidr of V4) {
      const base = cidr.split("/")[0] ?? "";
      expect(checkWebhookUrl(`https://${base}/`, strict).ok, cidr).toBe(false);
    }
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
