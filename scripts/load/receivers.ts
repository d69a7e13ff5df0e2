/**
 * In-process webhook receivers on 127.0.0.1 that verify each delivery with the
 * `standardwebhooks` package and record what arrived by `webhook-id`. Each one behaves
 * as a healthy or a faulty endpoint.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Webhook } from "standardwebhooks";

/**
 * How a receiver answers:
 * - ok: 204 at once
 * - slow: 204 after `slowMs` (default 5 s, inside the service's 15 s timeout)
 * - flaky: 500 to the first attempt of each webhook-id, 204 afterwards
 * - ratelimit: 429 with `Retry-After` to the first attempt of each id, 204 afterwards
 * - fail: 500 always
 * - drop: destroys the socket without answering, always
 * - hang: never answers (the service's timeout has to end it)
 * - gone: 410 always (the service should disable the endpoint)
 */
export type Mode = "ok" | "slow" | "flaky" | "ratelimit" | "fail" | "drop" | "hang" | "gone";

/** Modes that eventually answer 2xx: every alert must reach them exactly once. */
export const HEALTHY_MODES: readonly Mode[] = ["ok", "slow", "flaky", "ratelimit"];

/** What one receiver saw of one webhook-id. */
export interface IdRecord {
  attempts: number;
  /** Attempts answered with 2xx (more than one is a duplicate delivery). */
  accepted: number;
  firstAt: number;
  acceptedAt: number | null;
  type: string;
}

export interface ReceiverOptions {
  mode: Mode;
  slowMs?: number;
  retryAfterSeconds?: number;
}

const MAX_BODY = 2 * 1024 * 1024;

export class Receiver {
  readonly mode: Mode;
  readonly slowMs: number;
  readonly retryAfterSeconds: number;
  readonly ids = new Map<string, IdRecord>();
  /** Deliveries whose signature did not verify (401 answered). */
  badSignatures = 0;
  /** Requests without a webhook-id header. */
  missingId = 0;
  private verifier: Webhook | null = null;
  private server: Server | null = null;
  private readonly pending = new Set<ServerResponse>();
  private readonly timers = new Set<NodeJS.Timeout>();
  port = 0;

  constructor(opts: ReceiverOptions) {
    this.mode = opts.mode;
    this.slowMs = opts.slowMs ?? 5000;
    this.retryAfterSeconds = opts.retryAfterSeconds ?? 3;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}/hook/${this.mode}`;
  }

  /** The subscriber's `whsec_` secret, known once the subscriber exists. */
  setSecret(secret: string): void {
    this.verifier = new Webhook(secret);
  }

  listen(): Promise<void> {
    const server = createServer((req, res) => void this.handle(req, res));
    server.keepAliveTimeout = 1000;
    this.server = server;
    return new Promise((ok) => {
      server.listen(0, "127.0.0.1", () => {
        this.port = (server.address() as AddressInfo).port;
        ok();
      });
    });
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    for (const res of this.pending) res.destroy();
    const s = this.server;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((ok) => s.close(() => ok()));
  }

  /** Ids answered 2xx at least once. */
  acceptedIds(): Set<string> {
    return new Set([...this.ids].filter(([, r]) => r.accepted > 0).map(([id]) => id));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== "POST") {
      res.writeHead(405).end();
      return;
    }
    const body = await readBody(req);
    if (body === null) {
      res.writeHead(413).end();
      return;
    }
    const id = req.headers["webhook-id"];
    if (typeof id !== "string" || id === "") {
      this.missingId++;
      res.writeHead(400).end();
      return;
    }
    let type = "?";
    try {
      if (!this.verifier) throw new Error("no secret yet");
      const headers: Record<string, string> = {};
      for (const h of ["webhook-id", "webhook-timestamp", "webhook-signature"]) {
        headers[h] = String(req.headers[h] ?? "");
      }
      const payload = this.verifier.verify(body, headers) as { type?: string };
      type = payload.type ?? "?";
    } catch {
      this.badSignatures++;
      res.writeHead(401).end();
      return;
    }
    const now = Date.now();
    const rec = this.ids.get(id) ?? {
      attempts: 0,
      accepted: 0,
      firstAt: now,
      acceptedAt: null,
      type,
    };
    rec.attempts++;
    this.ids.set(id, rec);
    const accept = () => {
      rec.accepted++;
      rec.acceptedAt ??= Date.now();
      res.writeHead(204).end();
    };
    switch (this.mode) {
      case "ok":
        return accept();
      case "slow": {
        this.pending.add(res);
        const t = setTimeout(() => {
          this.timers.delete(t);
          this.pending.delete(res);
          if (!res.destroyed) accept();
        }, this.slowMs);
        this.timers.add(t);
        return;
      }
      case "flaky":
        if (rec.attempts > 1) return accept();
        res.writeHead(500, { "content-type": "text/plain" }).end("flaky\n");
        return;
      case "ratelimit":
        if (rec.attempts > 1) return accept();
        res.writeHead(429, { "retry-after": String(this.retryAfterSeconds) }).end();
        return;
      case "fail":
        res.writeHead(500, { "content-type": "text/plain" }).end("failing\n");
        return;
      case "drop":
        req.socket.destroy();
        return;
      case "hang":
        this.pending.add(res);
        return;
      case "gone":
        res.writeHead(410).end();
        return;
    }
  }
}

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on("end", () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => resolve(null));
  });
}
