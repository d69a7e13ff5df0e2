import type { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { ApiError, type FieldError } from "./errors.ts";

/** Zod issues as field errors: `{ field: "published_at", message }`. */
export function fieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((issue) => ({
    field: issue.path.length ? issue.path.map(String).join(".") : "(body)",
    message: issue.message,
  }));
}

/** Validates with a zod schema or throws a 422 naming every bad field. */
export function validate<S extends z.ZodType>(schema: S, data: unknown): z.infer<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const errors = fieldErrors(result.error);
  throw new ApiError(
    "validation_failed",
    `invalid ${errors.map((e) => e.field).join(", ")}: ${errors[0]?.message ?? "invalid"}`,
    errors,
  );
}

/** Reads a JSON body: 415 unless the content type is JSON, 400 when it does not parse. */
export async function readJson(c: Context): Promise<unknown> {
  const type = mediaType(c.req.header("content-type"));
  if (type !== "application/json" && !type.endsWith("+json")) {
    throw new ApiError(
      "unsupported_media_type",
      `expected application/json, got ${type || "nothing"}`,
    );
  }
  return parseJsonText(await c.req.text());
}

export function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ApiError("malformed_json", `body is not valid JSON: ${(e as Error).message}`);
  }
}

/** `text/html; charset=utf-8` -> `text/html`. */
export function mediaType(header: string | undefined): string {
  return (header ?? "").split(";")[0]?.trim().toLowerCase() ?? "";
}
