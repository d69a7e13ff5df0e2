import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

/** Inside workerd, with wrangler's `test` environment and its real local KV, objects and queue. */
const workerd = () =>
  cloudflareTest({
    wrangler: { configPath: "./wrangler.toml", environment: "test" },
    miniflare: { bindings: { ADMIN_TOKEN: "test-admin-token", ALLOW_LOCAL_WEBHOOKS: "1" } },
  });

// `node`: pure code and the CLI. `workers`: routes, objects and the queue consumer inside
// workerd. `ops` (only from `npm run bench`): storage operations counted per ingest.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          include: ["test/unit/**/*.test.ts", "test/cli/**/*.test.ts"],
          environment: "node",
          // Property tests run hundreds of cases: room for a busy 2-core machine.
          testTimeout: 30_000,
        },
      },
      {
        plugins: [workerd()],
        test: {
          name: "workers",
          include: ["test/routes/**/*.test.ts"],
          // Route tests run whole ingests inside workerd; on a busy 2-core machine 5 s is too tight.
          testTimeout: 30_000,
        },
      },
      {
        plugins: [workerd()],
        test: { name: "ops", include: ["bench/**/*.test.ts"], testTimeout: 60_000 },
      },
    ],
  },
});
