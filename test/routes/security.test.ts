import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { ADMIN, call, createSubscriber, expectProblem, mintIngestToken } from "./helpers.ts";

describe("security: tokens and scopes", () => {
  it("a missing, malformed or wrong token is 401", async () => {
    expectProblem(await call("GET", "/v1/articles/x", { token: null }), 401, "unauthorized");
    expectProblem(await call("GET", "/v1/articles/x", { token: "wrong" }), 401, "unauthorized");
    expectProblem(
      await call("GET", "/v1/articles/x", {
        token: null,
        headers: { authorization: `Basic ${ADMIN}` },
      }),
      401,
      "unauthorized",
    );
  });

  it("an ingest token on admin routes is 403", async () => {
    const token = await mintIngestToken();
    expectProblem(
      await call("POST", "/v1/tokens", { token, json: { name: "x" } }),
      403,
      "forbidden",
    );
    expectProblem(await call("GET", "/v1/subscribers", { token }), 403, "forbidden");
    expectProblem(
      await call("POST", "/v1/subscribers", { token, json: { name: "x" } }),
      403,
      "forbidden",
    );
  });

  it("a subscriber token cannot ingest or administer", async () => {
    const sub = await createSubscriber();
    expectProblem(
      await call("POST", "/v1/articles", { token: sub.token, json: { text: "A. B." } }),
      403,
      "forbidden",
    );
    expectProblem(
      await call("POST", "/v1/tokens", { token: sub.token, json: { name: "x" } }),
      403,
      "forbidden",
    );
  });

  it("ingest tokens are stored hashed, listed without the secret, and revocable", async () => {
    const minted = await call("POST", "/v1/tokens", { json: { name: "scraper-1" } });
    expect(minted.status).toBe(201);
    const { token, id } = minted.data;
    const raw = await env.KV.list();
    for (const k of raw.keys) {
      expect(k.name).not.toContain(token);
      expect((await env.KV.get(k.name)) ?? "").not.toContain(token);
    }
    const list = await call("GET", "/v1/tokens");
    expect(list.text).not.toContain(token);
    expect(list.data.items.map((t: { id: string }) => t.id)).toContain(id);
    expect(list.data.items[0]).not.toHaveProperty("hash");
    expect(
      (await call("POST", "/v1/articles", { token, json: { text: "Before revoke. Yes." } })).status,
    ).toBe(201);
    expect((await call("DELETE", `/v1/tokens/${id}`)).status).toBe(204);
    expectProblem(
      await call("POST", "/v1/articles", { token, json: { text: "After revoke. No." } }),
      401,
      "unauthorized",
    );
    expectProblem(await call("DELETE", `/v1/tokens/${id}`), 404, "not_found");
  });

  it("subscriber tokens and secrets are shown once, never again", async () => {
    const sub = await createSubscriber({
      name: "desk",
      webhook_url: "https://hooks.example.com/wb",
    });
    expect(sub.token).toMatch(/^wb_sub_/);
    expect(sub.webhook_secret).toMatch(/^whsec_/);
    const again = await call("GET", `/v1/subscribers/${sub.id}`);
    expect(again.text).not.toContain(sub.token);
    expect(again.text).not.toContain(sub.webhook_secret);
    const list = await call("GET", "/v1/subscribers");
    expect(list.text).not.toContain(sub.webhook_secret);
  });

  it("a subscriber sees itself but not another subscriber", async () => {
    const a = await createSubscriber({ name: "a" });
    const b = await createSubscriber({ name: "b" });
    expect((await call("GET", `/v1/subscribers/${a.id}`, { token: a.token })).status).toBe(200);
    expectProblem(
      await call("GET", `/v1/subscribers/${b.id}`, { token: a.token }),
      404,
      "not_found",
    );
    expectProblem(
      await call("POST", `/v1/subscribers/${b.id}/rotate-secret`, { token: a.token }),
      404,
      "not_found",
    );
    expectProblem(await call("GET", "/v1/subscribers", { token: a.token }), 403, "forbidden");
  });

  it("errors never echo the token", async () => {
    const res = await call("GET", "/v1/articles/x", { token: "secret-looking-token-123" });
    expect(res.text).not.toContain("secret-looking-token-123");
  });
});
