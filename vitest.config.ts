import { defineConfig } from "vitest/config"

export default defineConfig({
  test: {
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**", "dist/**"],
    testTimeout: 30_000,
    // Tests write temporary files under a private temp dir per run and per file, and fail if they leave any.
    globalSetup: ["testing/global-temp.ts"],
    setupFiles: ["testing/leak-check.ts"],
    // The suite runs with 64-bit floats enabled (JAX's jax_enable_x64; off by default, as in JAX):
    // its tests use float64. core/dtypes/x64.test.ts checks the default (off) behaviour.
    env: { JAX_ENABLE_X64: "1" },
    // Two cores on CI: two workers keep the suite fast without oversubscribing.
    maxWorkers: 2
  }
})
