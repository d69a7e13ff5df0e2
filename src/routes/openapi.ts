import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { AppEnv } from "../env.ts";
import { Problem } from "../schemas.ts";

type Method = "get" | "post" | "patch" | "delete" | "put";

interface RouteDoc {
  summary: string;
  tag: string;
  /** Who may call it; `none` for public routes. */
  scopes: string[] | "none";
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: { schema: z.ZodType; contentTypes?: string[]; description?: string };
  ok: { status: number; schema?: z.ZodType; description: string; contentType?: string };
  errors?: number[];
}

const ERROR_TEXT: Record<number, string> = {
  400: "Malformed JSON",
  401: "Missing or invalid token",
  403: "Wrong scope",
  404: "Not found",
  413: "Body over 1 MiB",
  415: "Unsupported media type",
  422: "Validation failed (names the field)",
};

/**
 * Adds a route to the OpenAPI document from the same zod schemas the handler validates
 * with; handlers stay plain Hono so that they own their error handling.
 */
export function describeRoute(app: OpenAPIHono<AppEnv>, method: Method, path: string, d: RouteDoc) {
  const problem = { "application/problem+json": { schema: Problem } };
  const errors = d.scopes === "none" ? (d.errors ?? []) : [401, 403, ...(d.errors ?? [])];
  app.openAPIRegistry.registerPath({
    method,
    path,
    summary: d.summary,
    tags: [d.tag],
    description: d.scopes === "none" ? "No token needed." : `Scopes: ${d.scopes.join(", ")}.`,
    security: d.scopes === "none" ? [] : [{ bearer: [] }],
    request: {
      ...(d.params ? { params: d.params } : {}),
      ...(d.query ? { query: d.query } : {}),
      ...(d.body
        ? {
            body: {
              required: true,
              description: d.body.description,
              content: Object.fromEntries(
                (d.body.contentTypes ?? ["application/json"]).map((t) => [
                  t,
                  { schema: t.includes("json") ? d.body?.schema : z.string() },
                ]),
              ),
            },
          }
        : {}),
    },
    responses: {
      [d.ok.status]: {
        description: d.ok.description,
        ...(d.ok.schema
          ? { content: { [d.ok.contentType ?? "application/json"]: { schema: d.ok.schema } } }
          : {}),
      },
      ...Object.fromEntries(
        [...new Set(errors)].map((s) => [
          s,
          { description: ERROR_TEXT[s] ?? "Error", content: problem },
        ]),
      ),
    },
  });
}

export const IdParam = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) });
