import { spawn } from "node:child_process";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { createReceiver, describeDelivery } from "../../../scripts/receiver.ts";
import { deliverWebhook, pingEvent } from "../../../src/alerts/deliver.ts";
import { generateWebhookSecret } from "../../../src/alerts/signing.ts";
import { makeAlert } from "./fixtures.ts";

const alert = makeAlert();
const event = { type: "alert.created" as const, data: alert };
const root = fileURLToPath(new URL("../../../", import.meta.url));

describe("scripts/receiver.ts", () => {
  let server: Server | undefined;
  afterEach(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    server = undefined;
  });

  async function start(secrets: string[], fail = 0) {
    const lines: string[] = [];
    server = createReceiver({ secrets, fail, log: (l) => lines.push(l) });
    await new Promise<void>((r) => server?.listen(0, "127.0.0.1", r));
    const { port } = server.address() as AddressInfo;
    return { url: `http://127.0.0.1:${port}/`, lines };
  }

  it("verifies, prints and answers 204; 401 on a wrong secret; --fail gives 500s first", async () => {
    const secret = generateWebhookSecret();
    const { url, lines } = await start([secret], 1);
    const send = (secrets: string[]) =>
      deliverWebhook({ url, secrets, event, msgId: alert.id, allowLocal: true });
    expect((await send([secret])).status).toBe(500);
    expect((await send([secret])).status).toBe(204);
    expect((await send([generateWebhookSecret()])).status).toBe(401);
    expect(lines[0]).toMatch(/ 500 alt_\w+ failing on purpose/);
    expect(lines[1]).toContain(`204 ${alert.id} alert.created [China & Belarus]`);
    expect(lines[1]).toContain("الصين ×2 (الصين)");
    expect(lines[1]).toContain("(attempt 2 of this id)");
    expect(lines[2]).toMatch(/401 .* rejected: no_matching_signature/);
  });

  it("describes pings and odd bodies", () => {
    const ping = JSON.stringify({ type: "ping", timestamp: "", data: pingEvent("sub_1").data });
    expect(describeDelivery("m1", ping)).toBe("m1 ping sub_1: wirebrief test delivery");
    expect(describeDelivery("m2", "not json")).toContain("not JSON");
  });

  it("runs as `npm run receiver` would (type stripping, --port, WEBHOOK_SECRET)", async () => {
    const secret = generateWebhookSecret();
    const child = spawn(
      `${root}node_modules/.bin/node`,
      ["--experimental-strip-types", "--no-warnings", "scripts/receiver.ts", "--port", "0"],
      {
        cwd: root,
        env: { ...process.env, WEBHOOK_SECRET: secret },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    try {
      let out = "";
      child.stdout.on("data", (c: Buffer) => {
        out += c.toString();
      });
      child.stderr.on("data", (c: Buffer) => {
        out += c.toString();
      });
      const url = await new Promise<string>((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`receiver did not start: ${out}`)), 10_000);
        child.stdout.on("data", () => {
          const m = /listening on (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
          if (m?.[1]) {
            clearTimeout(t);
            resolve(m[1]);
          }
        });
      });
      const r = await deliverWebhook({
        url,
        secrets: [secret],
        event,
        msgId: alert.id,
        allowLocal: true,
      });
      expect(r.status).toBe(204);
      await new Promise((r) => setTimeout(r, 100));
      expect(out).toContain(`204 ${alert.id} alert.created`);
    } finally {
      child.kill("SIGTERM");
    }
  }, 20_000);
});
