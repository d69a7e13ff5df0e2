/**
 * The one paging helper: every listing answers `{ items, next_cursor }` and takes back
 * an opaque cursor. A cursor is base64url JSON of a position; anything that does not
 * decode to the position shape the listing expects is a 422, never an empty page that
 * reads as "the end".
 */
import { z } from "@hono/zod-openapi";
import { base64url } from "./crypto.ts";
import { ApiError } from "./errors.ts";

import type { Page } from "./records.ts";

export type { Page };

/** Query parameters shared by every cursor-paged listing. */
export function pageQuery(maxLimit: number) {
  return {
    limit: z.coerce.number().int().min(1).max(maxLimit).optional(),
    cursor: z.string().max(2048).optional(),
  };
}

export function encodeCursor(position: Record<string, string | number>): string {
  return base64url(new TextEncoder().encode(JSON.stringify(position)));
}

/** The position a cursor holds, checked against `shape`; 422 `validation_failed` otherwise. */
export function decodeCursor<S extends z.ZodType>(
  cursor: string | undefined,
  shape: S,
): z.infer<S> | undefined {
  if (cursor === undefined) return undefined;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error("not base64url");
    const b64 = cursor.replaceAll("-", "+").replaceAll("_", "/");
    const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    const parsed = shape.safeParse(JSON.parse(new TextDecoder().decode(bytes)));
    if (parsed.success) return parsed.data;
  } catch {
    // fall through to the 422
  }
  throw new ApiError("validation_failed", "cursor is not one this listing gave out", [
    { field: "cursor", message: "malformed or from another listing; start again without it" },
  ]);
}

/** A listing's answer: its items and the cursor of the next page (null at the end). */
export function pageOf<T>(items: T[], next: Record<string, string | number> | null): Page<T> {
  return { items, next_cursor: next ? encodeCursor(next) : null };
}
