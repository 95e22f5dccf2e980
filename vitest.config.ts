import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "dist/**"],
    testTimeout: 30_000,
    // Tests write temporary files under a private temp dir per run and per file, and fail if they leave any.
    globalSetup: ["testing/global-temp.ts"],
    setupFiles: ["testing/leak-check.ts"],
    // Two cores on CI: two workers keep the suite fast without oversubscribing.
    maxWorkers: 2
  }
})
