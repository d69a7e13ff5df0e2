import { describe, expect, it } from "vitest";
import { call, createSubscriber, expectProblem } from "./helpers.ts";

describe("subscribers: CRUD", () => {
  it("creates, reads, lists, patches and deletes", async () => {
    const sub = await createSubscriber({
      name: "Analysts",
      webhook_url: "https://hooks.example.com/a",
      email: "desk@example.com",
    });
    const got = await call("GET", `/v1/subscribers/${sub.id}`);
    expect(got.data).toMatchObject({
      id: sub.id,
      name: "Analysts",
      webhook_url: "https://hooks.example.com/a",
      webhook_status: "active",
    });
    const list = await call("GET", "/v1/subscribers?limit=100");
    expect(list.data.items.map((s: { id: string }) => s.id)).toContain(sub.id);
    const patched = await call("PATCH", `/v1/subscribers/${sub.id}`, {
      json: { name: "Analysts 2", webhook_url: null },
    });
    expect(patched.data).toMatchObject({
      name: "Analysts 2",
      webhook_url: null,
      webhook_status: "none",
    });
    expect((await call("DELETE", `/v1/subscribers/${sub.id}`)).status).toBe(204);
    expectProblem(await call("GET", `/v1/subscribers/${sub.id}`), 404, "not_found");
    // Its token no longer works.
    expectProblem(
      await call("GET", `/v1/subscribers/${sub.id}`, { token: sub.token }),
      401,
      "unauthorized",
    );
  });

  it("rejects unsafe webhook URLs and bad fields with 422", async () => {
    const res = await call("POST", "/v1/subscribers", {
      json: { name: "x", webhook_url: "http://169.254.169.254/latest" },
    });
    expectProblem(res, 422, "unsafe_webhook_url");
    expect(res.data.errors[0].field).toBe("webhook_url");
    expectProblem(
      await call("POST", "/v1/subscribers", { json: { name: "" } }),
      422,
      "validation_failed",
    );
    const sub = await createSubscriber();
    expectProblem(
      await call("PATCH", `/v1/subscribers/${sub.id}`, {
        json: { webhook_url: "https://10.0.0.1/x" },
      }),
      422,
      "unsafe_webhook_url",
    );
    expectProblem(
      await call("PATCH", "/v1/subscribers/sub_missing", { json: { name: "y" } }),
      404,
      "not_found",
    );
  });

  it("rotates the signing secret (admin or self)", async () => {
    const sub = await createSubscriber();
    const rotated = await call("POST", `/v1/subscribers/${sub.id}/rotate-secret`, {
      token: sub.token,
    });
    expect(rotated.status).toBe(200);
    expect(rotated.data.webhook_secret).toMatch(/^whsec_/);
    expect(rotated.data.webhook_secret).not.toBe(sub.webhook_secret);
    expect(Date.parse(rotated.data.previous_secret_expires_at) - Date.now()).toBeGreaterThan(
      23 * 3600 * 1000,
    );
  });
});
