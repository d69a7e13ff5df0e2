/**
 * Standard Webhooks signing (https://www.standardwebhooks.com/): `whsec_` secrets,
 * `v1,<base64 HMAC-SHA256("{id}.{timestamp}.{body}")>` signatures. Web Crypto only.
 */

const SECRET_PREFIX = "whsec_";
const encoder = new TextEncoder();

/** How long the previous secret keeps signing after a rotation (SPEC: 24 hours). */
import { base64, constantTimeEqual } from "../crypto.ts";

export const SECRET_ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** Default clock skew accepted by {@link verifyWebhook}, in seconds (Standard Webhooks: 5 min). */
export const DEFAULT_TOLERANCE_SECONDS = 300;

function base64ToBytes(b64: string): Uint8Array | null {
  try {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/**
 * A fresh signing secret: `whsec_` + base64 of 32 random bytes.
 * @example generateWebhookSecret() // "whsec_q3J1...="
 */
export function generateWebhookSecret(): string {
  const bytes = new Uint8Array(32);
  crypto.getRandomValues(bytes);
  return SECRET_PREFIX + base64(bytes);
}

/** The HMAC key bytes of a `whsec_…` secret (the prefix is optional), or null when malformed. */
export function decodeWebhookSecret(secret: string): Uint8Array | null {
  const b64 = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  if (b64.length === 0) return null;
  const key = base64ToBytes(b64);
  return key && key.length > 0 ? key : null;
}

/** True when `secret` is a usable `whsec_` secret. */
export function isWebhookSecret(secret: string): boolean {
  return secret.startsWith(SECRET_PREFIX) && decodeWebhookSecret(secret) !== null;
}

async function hmacBase64(key: Uint8Array, content: string): Promise<string> {
  const k = await crypto.subtle.importKey(
    "raw",
    key as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  const sig = await crypto.subtle.sign("HMAC", k, encoder.encode(content));
  return base64(new Uint8Array(sig));
}

/**
 * One Standard Webhooks signature, `v1,<base64>`, of `"{msgId}.{timestampSeconds}.{body}"`.
 * Throws only on a malformed secret (a programming error: secrets come from
 * {@link generateWebhookSecret}).
 */
export async function signWebhook(
  secret: string,
  msgId: string,
  timestampSeconds: number,
  body: string,
): Promise<string> {
  const key = decodeWebhookSecret(secret);
  if (!key) throw new Error("malformed webhook secret");
  return `v1,${await hmacBase64(key, `${msgId}.${Math.floor(timestampSeconds)}.${body}`)}`;
}

/**
 * The `webhook-signature` header value: one signature per secret, space-separated
 * (current and previous secret during a rotation). Malformed secrets are skipped.
 */
export async function signatureHeader(
  secrets: readonly string[],
  msgId: string,
  timestampSeconds: number,
  body: string,
): Promise<string> {
  const sigs: string[] = [];
  for (const s of secrets) {
    if (decodeWebhookSecret(s)) sigs.push(await signWebhook(s, msgId, timestampSeconds, body));
  }
  return sigs.join(" ");
}

/** A subscriber's secrets as stored: the current one and, after a rotation, the previous one. */
export interface SubscriberSecrets {
  secret: string;
  previous_secret?: string | null;
  /** ISO time or epoch ms after which `previous_secret` no longer signs. */
  previous_secret_expires_at?: string | number | null;
}

/**
 * The secrets to sign with now: `[current]`, plus the previous secret while its 24 h
 * overlap lasts (set `previous_secret_expires_at = rotatedAt + SECRET_ROTATION_OVERLAP_MS`).
 */
export function signingSecrets(s: SubscriberSecrets, nowMs: number = Date.now()): string[] {
  const out = [s.secret];
  if (s.previous_secret && s.previous_secret_expires_at != null) {
    const exp =
      typeof s.previous_secret_expires_at === "number"
        ? s.previous_secret_expires_at
        : Date.parse(s.previous_secret_expires_at);
    if (Number.isFinite(exp) && nowMs < exp) out.push(s.previous_secret);
  }
  return out;
}

/** Why a delivery failed verification. */
export type VerifyFailure =
  | "missing_headers"
  | "bad_timestamp"
  | "timestamp_too_old"
  | "timestamp_too_new"
  | "no_matching_signature";

/** Result of {@link verifyWebhook}. */
export type VerifyResult =
  | { ok: true; msgId: string; timestamp: number }
  | { ok: false; reason: VerifyFailure };

type HeaderBag =
  | Headers
  | Record<string, string | string[] | undefined>
  | { get(name: string): string | null };

function header(h: HeaderBag, name: string): string | null {
  if (typeof (h as { get?: unknown }).get === "function") {
    return (h as { get(name: string): string | null }).get(name);
  }
  const rec = h as Record<string, string | string[] | undefined>;
  let v = rec[name];
  if (v === undefined) {
    for (const k of Object.keys(rec)) if (k.toLowerCase() === name) v = rec[k];
  }
  if (Array.isArray(v)) return v.join(" ");
  return v ?? null;
}

/**
 * Verify a received delivery (our receiver, or a subscriber using this code): the
 * timestamp within `toleranceSeconds` of now and at least one `v1` signature in
 * `webhook-signature` made by one of `secrets`. Constant-time comparison.
 */
export async function verifyWebhook(
  secrets: readonly string[],
  headers: HeaderBag,
  body: string,
  toleranceSeconds: number = DEFAULT_TOLERANCE_SECONDS,
  nowSeconds: number = Math.floor(Date.now() / 1000),
): Promise<VerifyResult> {
  const id = header(headers, "webhook-id");
  const ts = header(headers, "webhook-timestamp");
  const sig = header(headers, "webhook-signature");
  if (!id || !ts || !sig) return { ok: false, reason: "missing_headers" };
  if (!/^\d{1,12}$/.test(ts.trim())) return { ok: false, reason: "bad_timestamp" };
  const timestamp = Number(ts.trim());
  if (timestamp < nowSeconds - toleranceSeconds) return { ok: false, reason: "timestamp_too_old" };
  if (timestamp > nowSeconds + toleranceSeconds) return { ok: false, reason: "timestamp_too_new" };
  const received = sig
    .split(" ")
    .filter((p) => p.startsWith("v1,"))
    .map((p) => p.slice(3));
  for (const secret of secrets) {
    const key = decodeWebhookSecret(secret);
    if (!key) continue;
    const expected = await hmacBase64(key, `${id}.${ts.trim()}.${body}`);
    for (const r of received)
      if (constantTimeEqual(expected, r)) return { ok: true, msgId: id, timestamp };
  }
  return { ok: false, reason: "no_matching_signature" };
}
