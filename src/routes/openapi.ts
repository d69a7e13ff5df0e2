/**
 * Every route declares itself ONCE, with `declareRoute()`, right before its handler:
 *
 *   declareRoute(watchlists, "get", "/{id}", {
 *     summary: "One watchlist", tag: "watchlists",
 *     scopes: ["subscriber", "admin"], owner: "named",   // who may call; whose object it is
 *     params: IdParam, ok: { status: 200, schema: Watchlist, description: "The watchlist" },
 *     errors: [404],                                      // statuses only this handler adds
 *   });
 *   watchlists.get("/:id", async (c) => c.json(await findOwned(...)));  // no requireScope
 *
 * `declareRoute` registers the checks as middleware on that method and path, so they run
 * before the handler registered after it (Hono runs both, in order).
 * From that one declaration come:
 * - the OpenAPI operation, with every error it can answer: 401/403 from `scopes`, 404 from
 *   `owner` and path parameters, 422 from `params`/`query`/`body`, 400/413/415 from `body`;
 * - the checks, run before the handler: the scope (403) and the documented `params` and
 *   `query` schemas (422), so the document cannot drift from what is enforced;
 * - `x-wirebrief: { scopes, owner }` on the operation, which the security matrix
 *   (test/routes/security.matrix.test.ts) and the fuzz test read: every route the app
 *   registers must be declared here and have its cells there, or those tests fail.
 *
 * `owner` says how another subscriber's token is answered:
 * - `"named"`: the request names one subscriber's object (a path id, `subscriber_id`); for
 *   another subscriber it answers 404, exactly as for an id that does not exist;
 * - absent: the route does not involve subscribers' objects (articles) or is admin only.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv, Scope } from "../env.ts";
import { ApiError } from "../errors.ts";
import { Problem } from "../schemas.ts";
import { validate } from "../validate.ts";

export type Method = "get" | "post" | "patch" | "delete" | "put";

/** What a route declares about itself; see the top of this file. */
export interface RouteDeclaration {
  summary: string;
  tag: string;
  /** Who may call it; `none` for public routes (no token read). */
  scopes: Scope[] | "none";
  /** How another subscriber's token is answered (see above). */
  owner?: "named";
  /** Extra prose for the document. */
  description?: string;
  params?: z.ZodObject;
  query?: z.ZodObject;
  body?: { schema: z.ZodType; contentTypes?: string[]; description?: string };
  ok: { status: number; schema?: z.ZodType; description: string; contentType?: string };
  /** Error statuses the handler itself adds beyond those derived from the fields above. */
  errors?: number[];
}

/** The `x-wirebrief` extension on each operation: what the security tests read. */
export interface RouteSecurity {
  scopes: Scope[] | "none";
  owner: "named" | null;
}

const ERROR_TEXT: Record<number, string> = {
  400: "Malformed JSON",
  401: "Missing or invalid token",
  403: "Token lacks the scope for this route",
  404: "Not found (another subscriber's object answers exactly like a missing one)",
  409: "Conflict",
  413: "Body over 1 MiB",
  415: "Unsupported media type",
  422: "Validation failed (names the field)",
  429: "Too many requests",
};

/** Every error status a declaration implies, in order. */
export function errorStatuses(d: RouteDeclaration): number[] {
  const out = new Set<number>();
  if (d.scopes !== "none") out.add(401).add(403);
  if (d.body) out.add(400).add(413).add(415).add(422);
  if (d.query) out.add(422);
  if (d.owner === "named" || d.params) out.add(404);
  for (const s of d.errors ?? []) out.add(s);
  return [...out].sort((a, b) => a - b);
}

/** The checks a declaration implies: scope (403), then params and query (422). */
function guard(d: RouteDeclaration) {
  const scopes = d.scopes;
  return createMiddleware<AppEnv>(async (c, next) => {
    if (scopes !== "none") {
      const caller = c.get("caller");
      if (!caller) throw new ApiError("unauthorized", "send Authorization: Bearer <token>");
      if (!scopes.includes(caller.scope)) {
        throw new ApiError(
          "forbidden",
          `this route needs a ${scopes.join(" or ")} token, not ${caller.scope}`,
        );
      }
    }
    if (d.params) validate(d.params, c.req.param());
    if (d.query) c.set("query", { schema: d.query, value: validate(d.query, c.req.query()) });
    await next();
  });
}

function describe(d: RouteDeclaration): string {
  const who =
    d.scopes === "none"
      ? "No token needed."
      : `Scopes: ${d.scopes.join(", ")}.${
          d.owner === "named" && d.scopes.includes("subscriber")
            ? " A subscriber reaches only its own objects; another's answers 404 exactly like a missing one."
            : ""
        }`;
  return d.description ? `${who} ${d.description}` : who;
}

/**
 * Declares a route (see the top of this file): documents it, and registers the checks it
 * implies on `method` and `path` ahead of the handler that follows.
 */
export function declareRoute(
  app: OpenAPIHono<AppEnv>,
  method: Method,
  path: string,
  d: RouteDeclaration,
): void {
  const problem = { "application/problem+json": { schema: Problem } };
  const security: RouteSecurity = { scopes: d.scopes, owner: d.owner ?? null };
  app.openAPIRegistry.registerPath({
    method,
    path,
    summary: d.summary,
    tags: [d.tag],
    description: describe(d),
    security: d.scopes === "none" ? [] : [{ bearer: [] }],
    "x-wirebrief": security,
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
        errorStatuses(d).map((s) => [
          s,
          { description: ERROR_TEXT[s] ?? "Error", content: problem },
        ]),
      ),
    },
  });
  app.on(method.toUpperCase(), path.replace(/\{([^}]+)\}/g, ":$1"), guard(d));
}

/**
 * The query as the route's declared `query` schema parsed it before the handler ran
 * (parsed once, there); `schema` must be that same schema.
 */
export function declaredQuery<S extends z.ZodObject>(c: Context<AppEnv>, schema: S): z.infer<S> {
  const parsed = c.get("query");
  if (parsed?.schema !== schema) throw new Error("declaredQuery: not the route's declared query");
  return parsed.value as z.infer<S>;
}

export const IdParam = z.object({ id: z.string().openapi({ param: { name: "id", in: "path" } }) });
