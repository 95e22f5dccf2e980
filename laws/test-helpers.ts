/** Helpers shared by the laws' own tests. */
import type fc from "fast-check"
import * as laws from "./index.js"

/** Run a law expecting it to fail; return its report (throws if the law held). */
export const failure = (property: fc.IProperty<[unknown]>, options: laws.CheckOptions): laws.LawFailure => {
  try {
    laws.check(property, options)
  } catch (e) {
    if (e instanceof laws.LawFailure) return e
    throw e
  }
  throw new Error("expected the law to fail, but it held")
}
