/** The app's declared routes, discovered from the app itself, for the security and fuzz tests. */
import { createApp } from "../../src/app.ts";
import type { Method, RouteSecurity } from "../../src/routes/openapi.ts";
import type { call } from "./helpers.ts";

const METHODS: Method[] = ["get", "post", "patch", "delete", "put"];

export interface Operation {
  key: string;
  method: Method;
  path: string;
  security: RouteSecurity;
  statuses: Set<number>;
  okStatus: number;
}

/** Every documented operation of the app, with its declaration. */
export function discoverOperations(app = createApp()): Operation[] {
  const doc = app.getOpenAPI31Document({ openapi: "3.1.0", info: { title: "t", version: "1" } });
  const ops: Operation[] = [];
  for (const [path, item] of Object.entries(doc.paths ?? {})) {
    for (const method of METHODS) {
      const op = (item as Record<string, unknown>)[method] as
        | { responses: Record<string, unknown>; "x-wirebrief"?: RouteSecurity }
        | undefined;
      if (!op) continue;
      const statuses = new Set(Object.keys(op.responses).map(Number));
      const okStatus = [...statuses].find((s) => s < 400) ?? 200;
      ops.push({
        key: `${method.toUpperCase()} ${path}`,
        method,
        path,
        security: op["x-wirebrief"] as RouteSecurity,
        statuses,
        okStatus,
      });
    }
  }
  return ops;
}

/** `METHOD /path/{param}` of every handler Hono has, but the web console's page and assets. */
export function registeredRoutes(app = createApp()): string[] {
  const keys = app.routes
    .filter((r) => r.method !== "ALL" && !(r.path === "/" || r.path.startsWith("/console/")))
    // `:id` and `:key{regex}` -> `{id}`, `{key}`, as the document writes them.
    .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)(\{[^/]*\})?/g, "{$1}")}`);
  return [...new Set(keys)].sort();
}

export type Answer = Awaited<ReturnType<typeof call>>;

export function isProblem(res: Answer): boolean {
  return (
    (res.headers.get("content-type") ?? "").startsWith("application/problem+json") &&
    res.data?.status === res.status &&
    typeof res.data?.code === "string" &&
    typeof res.data?.detail === "string" &&
    typeof res.data?.type === "string" &&
    typeof res.data?.title === "string"
  );
}
