/**
 * Shared by the optim tests: reading golden/optax.json (values from real optax) into Arrays and
 * comparing float32 results with a scaled error `|got - want| / max(|want|, 1)` (relative for
 * large values, absolute below 1), NaNs and infinities matching exactly.
 */
import { expect } from "vitest"
import { type GoldenArray, goldenValues, loadGolden } from "../../golden/load.js"
import { type Array, type DType, np } from "../../index.js"

export interface OptimizerStep {
  readonly params?: { readonly w: GoldenArray; readonly b: GoldenArray }
  readonly updates?: { readonly w: GoldenArray; readonly b: GoldenArray }
  readonly fast?: { readonly w: GoldenArray; readonly b: GoldenArray }
  readonly slow?: { readonly w: GoldenArray; readonly b: GoldenArray }
  readonly updates_fast?: { readonly w: GoldenArray; readonly b: GoldenArray }
  readonly hyper?: GoldenArray
}

export type OptaxCase =
  | {
      readonly kind: "optimizer"
      readonly id: string
      readonly extra: "value" | "linesearch" | "lookahead" | null
      readonly nan_step: number | null
      readonly steps: ReadonlyArray<OptimizerStep>
    }
  | { readonly kind: "schedule"; readonly id: string; readonly values: GoldenArray }
  | {
      readonly kind: "loss"
      readonly id: string
      readonly args: ReadonlyArray<GoldenArray>
      readonly kwargs: Readonly<Record<string, unknown>>
      readonly out: GoldenArray
      readonly grad?: GoldenArray
      readonly phi?: GoldenArray
      readonly emit?: GoldenArray
    }

export const optaxGolden = loadGolden<OptaxCase>("optax")

/** The cases of one kind. */
export const casesOf = <K extends OptaxCase["kind"]>(kind: K): Extract<OptaxCase, { kind: K }>[] =>
  optaxGolden.cases.filter((c): c is Extract<OptaxCase, { kind: K }> => c.kind === kind)

/** A golden array as a jaxfx Array of the same dtype and shape. */
export const fromGolden = (g: GoldenArray): Array => {
  if (g.dtype === "bool") return np.array(g.data.map((v) => v === true || v === 1)).reshape([...g.shape])
  return np.array(goldenValues(g), { dtype: g.dtype as DType }).reshape([...g.shape])
}

/** The largest scaled error of `got` against `want`; Infinity on a shape or non-finite mismatch. */
export const scaledError = (got: Array, want: GoldenArray): number => {
  if (got.shape.join(",") !== want.shape.join(",")) return Infinity
  const g = [...got.data()].map(Number)
  const w = goldenValues(want)
  let worst = 0
  g.forEach((x, i) => {
    const y = w[i]!
    if (Number.isNaN(y) || Number.isNaN(x) || !Number.isFinite(y) || !Number.isFinite(x)) {
      if (!Object.is(x, y) && !(Number.isNaN(x) && Number.isNaN(y)) && x !== y) worst = Infinity
      return
    }
    worst = Math.max(worst, Math.abs(x - y) / Math.max(Math.abs(y), 1))
  })
  return worst
}

/** Expect `got` within `tol` (scaled error) of `want`, naming `what` on failure; returns the error. */
export const expectGolden = (got: Array, want: GoldenArray, tol: number, what: string): number => {
  const err = scaledError(got, want)
  if (!(err <= tol)) {
    expect.fail(`${what}: scaled error ${err} > ${tol}\n got  ${[...got.data()].join(", ")}\n want ${goldenValues(want).join(", ")}`)
  }
  return err
}
