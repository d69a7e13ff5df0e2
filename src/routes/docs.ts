/** A self-contained API reference page rendered from the OpenAPI document (no CDN needed). */
import { escapeXml } from "../alerts/feed.ts";

interface Operation {
  summary?: string;
  description?: string;
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown }[];
  requestBody?: { content?: Record<string, { schema?: unknown }>; description?: string };
  responses?: Record<string, { description?: string }>;
}

export function apiReferencePage(doc: {
  info: { title: string; description?: string };
  paths?: Record<string, Record<string, Operation>>;
}): string {
  const sections: string[] = [];
  for (const [path, ops] of Object.entries(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(ops)) {
      const params = (op.parameters ?? [])
        .map(
          (p) =>
            `<li><code>${escapeXml(p.name)}</code> (${escapeXml(p.in)}${p.required ? ", required" : ""})</li>`,
        )
        .join("");
      const bodyTypes = Object.keys(op.requestBody?.content ?? {})
        .map(escape)
        .join(", ");
      const responses = Object.entries(op.responses ?? {})
        .map(([s, r]) => `<li><b>${escapeXml(s)}</b> ${escapeXml(r.description ?? "")}</li>`)
        .join("");
      sections.push(`<section id="${escapeXml(`${method}-${path}`)}">
<h2><span class="m ${escapeXml(method)}">${escapeXml(method.toUpperCase())}</span> <code>${escapeXml(path)}</code></h2>
<p>${escapeXml(op.summary ?? "")}</p><p class="d">${escapeXml(op.description ?? "")}</p>
${params ? `<h3>Parameters</h3><ul>${params}</ul>` : ""}
${bodyTypes ? `<h3>Body</h3><p>${bodyTypes}${op.requestBody?.description ? ` — ${escapeXml(op.requestBody.description)}` : ""}</p>` : ""}
<h3>Responses</h3><ul>${responses}</ul></section>`);
    }
  }
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(doc.info.title)} API reference</title>
<style>body{font:15px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#222}
section{border-top:1px solid #ddd;padding:.5rem 0}h2{font-size:1.1rem}.m{display:inline-block;min-width:4.5rem;font-weight:700}
.get{color:#0a7}.post{color:#07c}.patch{color:#b70}.delete{color:#c22}.d{color:#666}code{background:#f4f4f4;padding:0 .2rem}</style>
</head><body><h1>${escapeXml(doc.info.title)} API reference</h1><p>${escapeXml(doc.info.description ?? "")}</p>
<p>Machine-readable: <a href="/openapi.json">/openapi.json</a> (OpenAPI 3.1). Errors are <code>application/problem+json</code> with a stable <code>code</code>. Send <code>Authorization: Bearer &lt;token&gt;</code>.</p>
${sections.join("\n")}</body></html>`;
}
