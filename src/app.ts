import { OpenAPIHono, z } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import { authenticate } from "./auth.ts";
import { consoleApp } from "./console/index.ts";
import type { AppEnv } from "./env.ts";
import { ApiError, problemResponse } from "./errors.ts";
import { articles, summarizeRoute } from "./routes/articles.ts";
import { channels } from "./routes/channels.ts";
import { alertsRoute, deliveries } from "./routes/deliveries.ts";
import { apiReferencePage } from "./routes/docs.ts";
import { feed } from "./routes/feed.ts";
import { feedKeys, publicFeeds } from "./routes/feed-keys.ts";
import { declareRoute } from "./routes/openapi.ts";
import { subscribers } from "./routes/subscribers.ts";
import { tokens } from "./routes/tokens.ts";
import { watchlists } from "./routes/watchlists.ts";

export const MAX_BODY_BYTES = 1024 * 1024;

export function createApp() {
  const app = new OpenAPIHono<AppEnv>();

  declareRoute(app, "get", "/healthz", {
    summary: "Health check",
    tag: "service",
    scopes: "none",
    ok: {
      status: 200,
      schema: z.object({ ok: z.boolean(), service: z.string() }),
      description: "The service answers",
    },
  });
  app.get("/healthz", (c) => c.json({ ok: true, service: "wirebrief" }));

  app.use(
    "/v1/*",
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError("payload_too_large", `the body is over ${MAX_BODY_BYTES} bytes (1 MiB)`);
      },
    }),
    authenticate,
  );
  app.route("/v1/articles", articles);
  app.route("/v1/summarize", summarizeRoute);
  app.route("/v1/subscribers", subscribers);
  app.route("/v1/tokens", tokens);
  app.route("/v1/watchlists", watchlists);
  app.route("/v1/feed", feed);
  app.route("/v1/deliveries", deliveries);
  app.route("/v1/alerts", alertsRoute);
  app.route("/v1/channels", channels);
  app.route("/v1/feed-keys", feedKeys);
  app.route("/feeds", publicFeeds); // the feed key in the path is the credential

  app.openAPIRegistry.registerComponent("securitySchemes", "bearer", {
    type: "http",
    scheme: "bearer",
  });
  const document = () =>
    app.getOpenAPI31Document({
      openapi: "3.1.0",
      info: {
        title: "wirebrief",
        version: "1.0.0",
        description: "Extractive summaries and keyword alerts for news wires.",
      },
    });
  declareRoute(app, "get", "/openapi.json", {
    summary: "This document (OpenAPI 3.1)",
    tag: "service",
    scopes: "none",
    ok: { status: 200, schema: z.object({}).passthrough(), description: "The document" },
  });
  app.get("/openapi.json", (c) => c.json(document()));
  declareRoute(app, "get", "/docs", {
    summary: "The API reference page",
    tag: "service",
    scopes: "none",
    ok: { status: 200, description: "HTML", contentType: "text/html" },
  });
  app.get("/docs", (c) =>
    c.html(apiReferencePage(document() as Parameters<typeof apiReferencePage>[0])),
  );

  app.route("/", consoleApp); // the web console: `/` and `/console/*`

  app.notFound((c) =>
    problemResponse("not_found", `no route for ${c.req.method} ${new URL(c.req.url).pathname}`),
  );
  app.onError((err) => {
    if (err instanceof ApiError) return problemResponse(err.code, err.message, err.errors);
    if (err instanceof HTTPException) {
      const code =
        err.status === 413
          ? "payload_too_large"
          : err.status === 401
            ? "unauthorized"
            : "bad_request";
      return problemResponse(code, err.message || "bad request");
    }
    // Log the kind of failure only: bodies and headers may hold secrets.
    console.error(
      "unhandled error:",
      err instanceof Error ? `${err.name}: ${err.message}` : "unknown",
    );
    return problemResponse("internal_error", "something went wrong on our side; it was logged");
  });
  return app;
}
