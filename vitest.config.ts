import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "dist/**"],
    testTimeout: 30_000,
    // Two cores on CI: two workers keep the suite fast without oversubscribing.
    maxWorkers: 2
  }
})
