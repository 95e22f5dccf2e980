/**
 * Options checks for the laws and arbitraries: each public function checks its options object with
 * core's `checkOptions` (an unknown key is a ValueError naming the valid keys and the closest
 * one); options that hold options of their own (shape bounds, a law's programs, tolerances) are
 * checked here one level down as well.
 */
import fc from "fast-check"
import { checkOneOf, checkOptions, optionKeys } from "../core/options.js"
import type { ShapeOptions } from "./arbitraries.js"
import type { Tolerance } from "./format.js"
import type { ProgramOptions } from "./programs.js"

export const SHAPE_KEYS = optionKeys<ShapeOptions>()("minRank", "maxRank", "minDim", "maxDim", "maxSize")

/** Shape bounds given as an options object (not a fixed shape or an arbitrary of shapes): check their keys. */
export const checkShapeBounds = (caller: string, s: unknown): void => {
  if (typeof s === "object" && s !== null && !globalThis.Array.isArray(s) && !(s instanceof fc.Arbitrary)) checkOptions(caller, s, SHAPE_KEYS)
}

export const OUTPUTS = ["any", "scalar"] as const
const PROGRAM_KEYS = optionKeys<ProgramOptions>()(
  "maxDepth",
  "ops",
  "smooth",
  "inputs",
  "shapes",
  "dtype",
  "min",
  "max",
  "step",
  "output",
  "maxIntermediateSize"
)

/** Check `ProgramOptions` (and the shape bounds in it), for `program`, `programCase` and the program laws. */
export const checkProgramOptions = (caller: string, o: ProgramOptions | undefined): void => {
  checkOptions(caller, o, PROGRAM_KEYS)
  checkShapeBounds(`${caller} (shapes)`, o?.shapes)
  checkOneOf(caller, "output", o?.output, OUTPUTS)
}

const TOLERANCE_KEYS = optionKeys<Tolerance>()("rtol", "atol")

/** A `Comparison`: "exact" or `{ rtol, atol }`. */
export const checkComparison = (caller: string, name: string, c: unknown): void => {
  if (c === undefined) return
  if (typeof c === "string") checkOneOf(caller, name, c, ["exact"])
  else checkOptions(`${caller} (${name})`, c, TOLERANCE_KEYS)
}

/** Check a law's options against `keys`, and the nested `tolerance` and `batchTolerance` when present. Returns the options. */
export const checkLawOptions = <O extends object | undefined>(caller: string, options: O, keys: ReadonlyArray<string>): O => {
  checkOptions(caller, options, keys)
  const o = options as { readonly tolerance?: unknown; readonly batchTolerance?: unknown } | undefined
  checkComparison(caller, "tolerance", o?.tolerance)
  checkComparison(caller, "batchTolerance", o?.batchTolerance)
  return options
}
