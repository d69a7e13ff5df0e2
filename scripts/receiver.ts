/**
 * A local webhook receiver for trying wirebrief alerts:
 *
 *   WEBHOOK_SECRET=whsec_... npm run receiver -- [--port 8788] [--secret whsec_...] [--fail N]
 *
 * Listens on 127.0.0.1, verifies each delivery's Standard Webhooks signature, prints one
 * line per delivery and answers 204 (401 on a bad signature). `--fail N` answers 500 to
 * the first N deliveries, to watch retries arrive with the same webhook-id.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { verifyWebhook } from "../src/alerts/signing.ts";

/** Options of {@link createReceiver}. */
export interface ReceiverOptions {
  /** Accepted `whsec_` secrets; empty means signatures are not checked (a warning is printed). */
  secrets: string[];
  /** Answer 500 to this many deliveries first. */
  fail?: number;
  /** Where lines go; default console.log. */
  log?: (line: string) => void;
}

const MAX_BODY = 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on("end", () => resolve(size > MAX_BODY ? null : Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function clip(s: string, n: number): string {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length > n ? `${one.slice(0, n - 1)}…` : one;
}

interface Hit {
  field?: string;
  text?: string;
}
interface DeliveryBody {
  type?: string;
  data?: {
    watchlist_name?: string;
    title?: string;
    url?: string | null;
    message?: string;
    subscriber_id?: string;
    matches?: { query?: string; hits?: Hit[] }[];
  };
}

/** One human line describing a delivery body. */
export function describeDelivery(id: string, body: string): string {
  let parsed: DeliveryBody;
  try {
    parsed = JSON.parse(body) as DeliveryBody;
  } catch {
    return `${id} (body is not JSON: ${clip(body, 60)})`;
  }
  const d = parsed.data ?? {};
  if (parsed.type === "ping") return `${id} ping ${d.subscriber_id ?? ""}: ${d.message ?? ""}`;
  const hits = (d.matches ?? [])
    .map((m) => {
      const hs = m.hits ?? [];
      const words = [...new Set(hs.map((h) => h.text ?? ""))].slice(0, 3).join(", ");
      return `${m.query ?? "?"} ×${hs.length} (${words})`;
    })
    .join("; ");
  return `${id} ${parsed.type ?? "?"} [${d.watchlist_name ?? "?"}] "${clip(d.title ?? "", 80)}" hits: ${hits || "none"}${d.url ? ` <${d.url}>` : ""}`;
}

/** A node:http server that verifies and prints deliveries (not yet listening). */
export function createReceiver(opts: ReceiverOptions): Server {
  const log = opts.log ?? ((l: string) => console.log(l));
  let failLeft = Math.max(0, opts.fail ?? 0);
  const attempts = new Map<string, number>();
  return createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const time = new Date().toISOString().slice(11, 19);
    if (req.method !== "POST") {
      res.writeHead(req.method === "GET" ? 200 : 405, { "content-type": "text/plain" });
      res.end("wirebrief webhook receiver: POST deliveries here\n");
      return;
    }
    let body: string | null;
    try {
      body = await readBody(req);
    } catch {
      res.writeHead(400).end();
      return;
    }
    if (body === null) {
      log(`${time} 413 body over 1 MiB`);
      res.writeHead(413).end();
      return;
    }
    const id = String(req.headers["webhook-id"] ?? "(no webhook-id)");
    const n = (attempts.get(id) ?? 0) + 1;
    attempts.set(id, n);
    const attempt = n > 1 ? ` (attempt ${n} of this id)` : "";
    let note = "";
    if (opts.secrets.length > 0) {
      const v = await verifyWebhook(opts.secrets, req.headers, body);
      if (!v.ok) {
        log(`${time} 401 ${id} rejected: ${v.reason}${attempt}`);
        res.writeHead(401, { "content-type": "text/plain" }).end(`${v.reason}\n`);
        return;
      }
    } else {
      note = " [signature NOT checked]";
    }
    if (failLeft > 0) {
      failLeft--;
      log(`${time} 500 ${id} failing on purpose (${failLeft} more)${attempt}`);
      res.writeHead(500, { "content-type": "text/plain" }).end("failing on purpose\n");
      return;
    }
    log(`${time} 204 ${describeDelivery(id, body)}${attempt}${note}`);
    res.writeHead(204).end();
  });
}

function main(): void {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "8788" },
      secret: { type: "string", multiple: true },
      fail: { type: "string", default: "0" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(
      "usage: WEBHOOK_SECRET=whsec_... npm run receiver -- [--port 8788] [--secret whsec_...] [--fail N]",
    );
    return;
  }
  const port = Number(values.port);
  const fail = Number(values.fail);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`bad --port ${values.port}`);
    process.exit(2);
  }
  if (!Number.isInteger(fail) || fail < 0) {
    console.error(`bad --fail ${values.fail}`);
    process.exit(2);
  }
  const secrets = [...(values.secret ?? []), ...(process.env.WEBHOOK_SECRET ?? "").split(/[\s,]+/)]
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const server = createReceiver({ secrets, fail });
  server.listen(port, "127.0.0.1", () => {
    const { port: p } = server.address() as AddressInfo;
    console.log(`wirebrief receiver listening on http://127.0.0.1:${p}/`);
    if (secrets.length === 0) {
      console.log(
        "warning: no WEBHOOK_SECRET or --secret given: signatures are NOT checked. Pass the subscriber's whsec_ secret.",
      );
    }
    if (fail > 0) console.log(`answering 500 to the first ${fail} deliveries`);
  });
  const stop = () => server.close(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
