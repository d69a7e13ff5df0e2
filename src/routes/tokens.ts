import { OpenAPIHono, z } from "@hono/zod-openapi";
import { requireScope } from "../auth.ts";
import { newToken, randomId, sha256Hex } from "../crypto.ts";
import type { AppEnv } from "../env.ts";
import { ApiError } from "../errors.ts";
import type { IngestTokenInfo } from "../records.ts";
import { TokenInfo, TokenInput } from "../schemas.ts";
import { TokenStore } from "../store/tokens.ts";
import { readJson, validate } from "../validate.ts";
import { describeRoute, IdParam } from "./openapi.ts";

export const tokens = new OpenAPIHono<AppEnv>();
tokens.use("*", requireScope("admin"));

const publicToken = ({ hash: _h, ...info }: IngestTokenInfo) => info;

describeRoute(tokens, "post", "/", {
  summary: "Mint an ingest token for a scraper (the token is shown once)",
  tag: "tokens",
  scopes: ["admin"],
  body: { schema: TokenInput },
  ok: {
    status: 201,
    schema: TokenInfo.extend({ token: z.string() }),
    description: "The new token",
  },
  errors: [400, 415, 422],
});
tokens.post("/", async (c) => {
  const { name } = validate(TokenInput, await readJson(c));
  const token = newToken("wb_ingest");
  const info: IngestTokenInfo = {
    id: randomId("tok"),
    name,
    scope: "ingest",
    created_at: new Date().toISOString(),
    hash: await sha256Hex(token),
  };
  await new TokenStore(c.env.KV).putIngest(info);
  return c.json({ ...publicToken(info), token }, 201);
});

describeRoute(tokens, "get", "/", {
  summary: "List ingest tokens (never the tokens themselves)",
  tag: "tokens",
  scopes: ["admin"],
  ok: {
    status: 200,
    schema: z.object({ items: z.array(TokenInfo) }),
    description: "Ingest tokens",
  },
});
tokens.get("/", async (c) => {
  const items = await new TokenStore(c.env.KV).listIngest();
  return c.json({ items: items.map(publicToken) });
});

describeRoute(tokens, "delete", "/{id}", {
  summary: "Revoke an ingest token",
  tag: "tokens",
  scopes: ["admin"],
  params: IdParam,
  ok: { status: 204, description: "Revoked" },
  errors: [404],
});
tokens.delete("/:id", async (c) => {
  const store = new TokenStore(c.env.KV);
  const info = await store.getIngest(c.req.param("id"));
  if (!info) throw new ApiError("not_found", `no ingest token ${c.req.param("id")}`);
  await store.deleteIngest(info);
  return c.body(null, 204);
});
