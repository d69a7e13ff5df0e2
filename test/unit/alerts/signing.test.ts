import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import {
  decodeWebhookSecret,
  generateWebhookSecret,
  isWebhookSecret,
  SECRET_ROTATION_OVERLAP_MS,
  signatureHeader,
  signingSecrets,
  signWebhook,
  verifyWebhook,
} from "../../../src/alerts/signing.ts";

const body = JSON.stringify({
  type: "alert.created",
  timestamp: "2026-01-01T00:00:00.000Z",
  data: { t: "الصين & <x>" },
});

function headersFor(id: string, ts: number, sig: string) {
  return { "webhook-id": id, "webhook-timestamp": String(ts), "webhook-signature": sig };
}

describe("generateWebhookSecret", () => {
  it("makes whsec_ + base64 of 32 random bytes, different each time", () => {
    const a = generateWebhookSecret();
    const b = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    expect(a).not.toBe(b);
    expect(decodeWebhookSecret(a)?.length).toBe(32);
    expect(isWebhookSecret(a)).toBe(true);
    expect(isWebhookSecret("whsec_")).toBe(false);
    expect(isWebhookSecret("whsec_!!!")).toBe(false);
    expect(isWebhookSecret("nope")).toBe(false);
  });
});

describe("signWebhook against the standardwebhooks package", () => {
  it("matches its signature byte for byte (spec test vector)", async () => {
    // Test vector from the Standard Webhooks spec / libraries.
    const secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    const id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    const ts = 1614265330;
    const payload = '{"test": 2432232314}';
    const ours = await signWebhook(secret, id, ts, payload);
    expect(ours).toBe("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    expect(ours).toBe(new Webhook(secret).sign(id, new Date(ts * 1000), payload));
  });

  it("is verified by standardwebhooks for fresh secrets and unicode bodies", async () => {
    for (let i = 0; i < 20; i++) {
      const secret = generateWebhookSecret();
      const ts = Math.floor(Date.now() / 1000);
      const sig = await signatureHeader([secret], `alt_${i}`, ts, body);
      expect(sig.split(" ")).toHaveLength(1);
      expect(new Webhook(secret).verify(body, headersFor(`alt_${i}`, ts, sig))).toEqual(
        JSON.parse(body),
      );
    }
  });

  it("after a rotation the header carries two signatures and each secret verifies", async () => {
    const oldSecret = generateWebhookSecret();
    const newSecret = generateWebhookSecret();
    const ts = Math.floor(Date.now() / 1000);
    const sig = await signatureHeader([newSecret, oldSecret], "alt_rot", ts, body);
    const parts = sig.split(" ");
    expect(parts).toHaveLength(2);
    for (const p of parts) expect(p).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    const h = headersFor("alt_rot", ts, sig);
    expect(() => new Webhook(oldSecret).verify(body, h)).not.toThrow();
    expect(() => new Webhook(newSecret).verify(body, h)).not.toThrow();
    expect(() => new Webhook(generateWebhookSecret()).verify(body, h)).toThrow();
    // and our own verifier agrees
    expect((await verifyWebhook([oldSecret], h, body)).ok).toBe(true);
    expect((await verifyWebhook([newSecret], h, body)).ok).toBe(true);
  });

  it("standardwebhooks rejects a tampered body or id", async () => {
    const secret = generateWebhookSecret();
    const ts = Math.floor(Date.now() / 1000);
    const sig = await signatureHeader([secret], "alt_1", ts, body);
    expect(() => new Webhook(secret).verify(`${body} `, headersFor("alt_1", ts, sig))).toThrow();
    expect(() => new Webhook(secret).verify(body, headersFor("alt_2", ts, sig))).toThrow();
  });

  it("skips malformed secrets in a header", async () => {
    const secret = generateWebhookSecret();
    const sig = await signatureHeader(["whsec_", secret, "whsec_%%%"], "a", 1, "b");
    expect(sig.split(" ")).toHaveLength(1);
    await expect(signWebhook("whsec_%%%", "a", 1, "b")).rejects.toThrow(/malformed/);
  });
});

describe("verifyWebhook", () => {
  it("accepts signatures made by standardwebhooks", async () => {
    const secret = generateWebhookSecret();
    const now = new Date();
    const sig = new Webhook(secret).sign("msg_1", now, body);
    const ts = Math.floor(now.getTime() / 1000);
    const r = await verifyWebhook([secret], headersFor("msg_1", ts, sig), body);
    expect(r).toEqual({ ok: true, msgId: "msg_1", timestamp: ts });
  });

  it("accepts a Headers object and any of several secrets", async () => {
    const [a, b] = [generateWebhookSecret(), generateWebhookSecret()];
    const ts = 1_700_000_000;
    const sig = await signatureHeader([a], "m", ts, body);
    const h = new Headers(headersFor("m", ts, sig));
    expect((await verifyWebhook([b, a], h, body, 300, ts)).ok).toBe(true);
  });

  it("rejects missing headers, stale or future timestamps, wrong secret, tampering", async () => {
    const secret = generateWebhookSecret();
    const ts = 1_700_000_000;
    const sig = await signatureHeader([secret], "m", ts, body);
    const h = headersFor("m", ts, sig);
    const v = (hh: Record<string, string>, b = body, now = ts) =>
      verifyWebhook([secret], hh, b, 300, now);
    expect(await v({ ...h, "webhook-id": "" })).toEqual({ ok: false, reason: "missing_headers" });
    expect(await v({ "webhook-id": "m", "webhook-timestamp": String(ts) })).toMatchObject({
      reason: "missing_headers",
    });
    expect(await v({ ...h, "webhook-timestamp": "abc" })).toMatchObject({
      reason: "bad_timestamp",
    });
    expect(await v(h, body, ts + 301)).toMatchObject({ reason: "timestamp_too_old" });
    expect(await v(h, body, ts - 301)).toMatchObject({ reason: "timestamp_too_new" });
    expect((await v(h, body, ts + 299)).ok).toBe(true);
    expect(await v(h, `${body}x`)).toMatchObject({ reason: "no_matching_signature" });
    expect(await v({ ...h, "webhook-signature": sig.replace("v1,", "v2,") })).toMatchObject({
      reason: "no_matching_signature",
    });
    expect(await verifyWebhook([generateWebhookSecret()], h, body, 300, ts)).toMatchObject({
      reason: "no_matching_signature",
    });
  });
});

describe("signingSecrets", () => {
  it("includes the previous secret only during the 24 h overlap", () => {
    const rotatedAt = Date.parse("2026-01-01T00:00:00Z");
    const s = {
      secret: "whsec_new",
      previous_secret: "whsec_old",
      previous_secret_expires_at: new Date(rotatedAt + SECRET_ROTATION_OVERLAP_MS).toISOString(),
    };
    expect(signingSecrets(s, rotatedAt + 1000)).toEqual(["whsec_new", "whsec_old"]);
    expect(signingSecrets(s, rotatedAt + SECRET_ROTATION_OVERLAP_MS)).toEqual(["whsec_new"]);
    expect(signingSecrets({ secret: "whsec_new" })).toEqual(["whsec_new"]);
    expect(
      signingSecrets({ ...s, previous_secret_expires_at: rotatedAt + 5 }, rotatedAt),
    ).toHaveLength(2);
  });
});
