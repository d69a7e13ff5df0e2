/**
 * Bundles bench/ingest-entry.ts as wrangler bundles the Worker (esbuild, ESM, one module)
 * into .wrangler/bench/ingest.js, for the workerd CPU bench. Run by `npm run bench`.
 */
import { build } from "esbuild";

await build({
  entryPoints: [new URL("./ingest-entry.ts", import.meta.url).pathname],
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2024",
  outfile: new URL("../.wrangler/bench/ingest.js", import.meta.url).pathname,
  logLevel: "warning",
});
