/**
 * A law over drawn parameters: each case draws static parameters and shapes, builds the law on
 * them, and checks one case of it. The catalog (`catalog.ts`) and the primitive cases
 * (`primitives.test.ts`) run their laws this way, so that each run covers another point of the
 * parameter space.
 */
import fc from "fast-check"
import { Described, errorText, LawCase, type LawProperty, lawProperty, LawViolation } from "./laws.js"

export interface DrawnCase<D> {
  readonly drawn: D
  readonly seed: number
}

/**
 * A law over drawn parameters: each case draws `D` (static parameters and shapes), then checks
 * one case of the law `inner(d)` on it (with a drawn seed). A failure reports the parameters
 * (`show`, shrunk) and, as what went wrong, the inner law's failure and inputs. The inner case is
 * not shrunk: shrinking the parameters runs it once per step, and its inputs are as small as the
 * shapes it was drawn for.
 */
export const overDraws = <D>(
  law: string,
  subject: string,
  draws: fc.Arbitrary<D>,
  show: (d: D) => string,
  inner: (d: D) => fc.IProperty<[unknown]>
): LawProperty<Described<DrawnCase<D>>> => {
  const cases = fc
    .tuple(draws, fc.integer({ min: 0, max: 2 ** 31 - 1 }))
    .map(([drawn, seed]) => new Described<DrawnCase<D>>({ drawn, seed }, (c) => `parameters: ${show(c.drawn)}`))
  return lawProperty(law, subject, cases, ({ drawn, seed }) => {
    const details = fc.check(inner(drawn), { seed, numRuns: 1, endOnFailure: true })
    if (!details.failed) return
    const err = details.errorInstance
    const c: unknown = details.counterexample?.[0]
    const inputs = c instanceof LawCase || c instanceof Described ? c.describe() : fc.stringify(c)
    throw new LawViolation(`${err instanceof LawViolation ? err.message : errorText(err)}\n${inputs}`)
  })
}
