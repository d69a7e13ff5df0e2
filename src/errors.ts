/**
 * The closed set of error codes the API can answer with, each mapped to one HTTP
 * status. Every error leaves the service as RFC 9457 problem+json from `onError`.
 */
export const ERROR_STATUS = {
  malformed_json: 400,
  bad_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  invalid_query: 422,
  unsafe_webhook_url: 422,
  batch_too_large: 422,
  quota_exceeded: 422,
  rate_limited: 429,
  internal_error: 500,
  upstream_error: 502,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

const TITLES: Record<ErrorCode, string> = {
  malformed_json: "Malformed JSON",
  bad_request: "Bad request",
  unauthorized: "Missing or invalid token",
  forbidden: "Token lacks the scope for this route",
  not_found: "Not found",
  method_not_allowed: "Method not allowed",
  conflict: "Conflict",
  payload_too_large: "Body too large",
  unsupported_media_type: "Unsupported media type",
  validation_failed: "Validation failed",
  invalid_query: "Invalid watch query",
  unsafe_webhook_url: "Unsafe webhook URL",
  batch_too_large: "Batch too large",
  quota_exceeded: "Quota exceeded",
  rate_limited: "Too many requests",
  internal_error: "Internal error",
  upstream_error: "Upstream error",
};

/** One field-level problem, e.g. `{ field: "published_at", message: "not a date" }`. */
export interface FieldError {
  field: string;
  message: string;
  position?: number;
}

/** Thrown by routes and turned into problem+json by the app's single `onError`. */
export class ApiError extends Error {
  readonly code: ErrorCode;
  readonly errors: FieldError[] | undefined;
  constructor(code: ErrorCode, detail: string, errors?: FieldError[]) {
    super(detail);
    this.code = code;
    this.errors = errors;
  }
  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

/** The problem+json body for an error code. */
export function problem(code: ErrorCode, detail: string, errors?: FieldError[]) {
  return {
    type: `https://wirebrief.dev/problems/${code.replaceAll("_", "-")}`,
    title: TITLES[code],
    status: ERROR_STATUS[code],
    detail,
    code,
    ...(errors?.length ? { errors } : {}),
  };
}

export function problemResponse(code: ErrorCode, detail: string, errors?: FieldError[]): Response {
  return new Response(JSON.stringify(problem(code, detail, errors)), {
    status: ERROR_STATUS[code],
    headers: { "content-type": "application/problem+json" },
  });
}
