/**
 * Reads golden files written by `golden/<topic>.py` (real JAX's outputs; see golden/common.py for
 * the encoding). Tests compare jaxfx against these values; CI needs no Python.
 */
import { readFileSync } from "node:fs"
import { join } from "node:path"

/** An array as a golden file stores it: dtype name, shape and row-major values. */
export interface GoldenArray {
  readonly dtype: string
  readonly shape: ReadonlyArray<number>
  /** Real values, or [re, im] pairs for complex dtypes. */
  readonly data: ReadonlyArray<number | boolean | readonly [number, number]>
}

export interface GoldenFile<C> {
  readonly jax_version: string
  readonly generator: string
  readonly cases: ReadonlyArray<C>
}

const special: Readonly<Record<string, number>> = { nan: NaN, inf: Infinity, "-inf": -Infinity, "-0": -0 }

// Own keys only: `"constructor" in special` is true (inherited), and such strings are data.
const revive = (_key: string, v: unknown): unknown => (typeof v === "string" && Object.hasOwn(special, v) ? special[v] : v)

/** Load `golden/<topic>.json`; non-finite numbers and -0 come back as numbers. */
export const loadGolden = <C>(topic: string): GoldenFile<C> =>
  JSON.parse(readFileSync(join(import.meta.dirname, `${topic}.json`), "utf8"), revive) as GoldenFile<C>

/** The values of a golden array as plain numbers (booleans as 0/1); complex arrays are refused. */
export const goldenValues = (a: GoldenArray): number[] =>
  a.data.map((v) => {
    if (typeof v === "boolean") return v ? 1 : 0
    if (typeof v === "number") return v
    throw new Error(`golden array of dtype ${a.dtype} is complex; read its [re, im] pairs directly`)
  })
