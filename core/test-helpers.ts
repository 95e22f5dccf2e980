/** Helpers shared by core's tests. */
import { expect } from "vitest"
import { isJaxfxError } from "./errors.js"

/** What `f` throws, or undefined when it returns. */
export const thrown = (f: () => unknown): unknown => {
  try {
    f()
  } catch (e) {
    return e
  }
  return undefined
}

/** The tag of the jaxfx error `f` throws; a failed expectation when it returns or throws anything else. */
export const tagOf = (f: () => unknown, what: string): string => {
  const e = thrown(f)
  expect(e, `${what}: expected a typed error, but it returned`).toBeDefined()
  expect(isJaxfxError(e), `${what}: expected a tagged jaxfx error, got ${String(e)}`).toBe(true)
  return (e as { readonly _tag: string })._tag
}
