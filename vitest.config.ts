import { cloudflareTest } from "@cloudflare/vitest-plugin";
import { defineConfig } from "vitest/config";

// Two projects: pure code and the CLI run in Node; routes and stores run inside
// workerd against its real local KV and queues.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "node",
          include: ["test/unit/**/*.test.ts", "test/cli/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        plugins: [
          cloudflareTest({
            // The `test` environment has no queue consumers: tests drive the consumer themselves.
            wrangler: { configPath: "./wrangler.toml", environment: "test" },
            miniflare: { bindings: { ADMIN_TOKEN: "test-admin-token", ALLOW_LOCAL_WEBHOOKS: "1" } },
          }),
        ],
        test: {
          name: "workers",
          include: ["test/routes/**/*.test.ts", "test/store/**/*.test.ts"],
          // Route tests run whole ingests inside workerd; on a busy 2-core machine 5 s is too tight.
          testTimeout: 30_000,
        },
      },
    ],
  },
});
