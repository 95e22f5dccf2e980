/**
 * What the distributions share: their optional parameters, passed either positionally as in a
 * Python call (`norm.logpdf(x, loc, scale)`) or as a last options object with JAX's names
 * (`norm.logpdf(x, { loc, scale })`), and promotion of every operand to one float dtype.
 */
import { Array } from "../../array.js"
import { type Operand } from "../../numpy/coerce.js"
import { ValueError } from "../../errors.js"
import { checkOptions, optionKeys } from "../../options.js"

import { floats } from "../special/common.js"

export { c, floats, replace } from "../special/common.js"

/** The location and scale of a location-scale family (defaults 0 and 1). */
export interface LocScale {
  readonly loc?: Operand | undefined
  readonly scale?: Operand | undefined
}

/** The location (shift) of a discrete distribution (default 0). */
export interface Loc {
  readonly loc?: Operand | undefined
}

/** Whether an optional argument is the options object rather than a positional operand. */
export const isOptions = <T extends object>(v: Operand | T | undefined): v is T => v !== null && typeof v === "object" && !(v instanceof Array)

const LOC_SCALE_KEYS = optionKeys<LocScale>()("loc", "scale")
const LOC_KEYS = optionKeys<Loc>()("loc")

/**
 * Check a function's `(loc, scale)` arguments: when `loc` is the options object its keys must be
 * `loc` and `scale`, and `scale` is not also given positionally (it would be ignored).
 */
export const checkLocScale = (caller: string, loc: Operand | LocScale | undefined, scale: Operand | undefined): void => {
  if (!isOptions(loc)) return
  checkOptions(caller, loc, LOC_SCALE_KEYS)
  if (scale !== undefined) {
    throw new ValueError(`${caller}: scale is given both positionally and with the options { loc, scale }; give it once.`)
  }
}

/** Check a function's `loc` argument: when it is the options object its only key is `loc`. */
export const checkLoc = (caller: string, loc: Operand | Loc | undefined): void => {
  if (isOptions(loc)) checkOptions(caller, loc, LOC_KEYS)
}

/** [loc, scale] from `(loc, scale)` positionally or `({ loc, scale })`. */
export const locScaleOf = (loc: Operand | LocScale | undefined, scale: Operand | undefined): [Operand, Operand] =>
  isOptions(loc) ? [loc.loc ?? 0, loc.scale ?? 1] : [loc ?? 0, scale ?? 1]

/** loc from `(loc)` positionally or `({ loc })`. */
export const locOf = (loc: Operand | Loc | undefined): Operand => (isOptions(loc) ? (loc.loc ?? 0) : (loc ?? 0))

/** `[...operands, loc, scale]` promoted to one float dtype with aligned ranks. */
export const withLocScale = (operands: ReadonlyArray<Operand>, loc: Operand | LocScale | undefined, scale: Operand | undefined): Array[] => {
  const [l, s] = locScaleOf(loc, scale)
  return floats(...operands, l, s)
}

/** `[...operands, loc]` promoted to one float dtype with aligned ranks. */
export const withLoc = (operands: ReadonlyArray<Operand>, loc: Operand | Loc | undefined): Array[] => floats(...operands, locOf(loc))
