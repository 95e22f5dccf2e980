/**
 * Every public callable of jaxfx, jaxfx/effects and jaxfx/laws has a TSDoc paragraph and an
 * `@example` (which testing/doc-examples.test.ts type-checks): new public functions come with
 * their documentation, as the API reference (`npm run docs`) promises.
 */
import { describe, expect, it } from "vitest"
import { undocumented } from "./api-docs.js"

describe("the API reference's coverage", { timeout: 300_000 }, () => {
  it("documents every public callable, each with an example", () => {
    const { total, missing } = undocumented()
    // The walk reaches the namespaces (np, lax, random, nn, tree, codec, train, ...), not only the top level.
    expect(total).toBeGreaterThan(1000)
    expect(missing).toEqual([])
  })
})
