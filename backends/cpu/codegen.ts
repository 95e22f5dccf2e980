/**
 * Specialized loops. A loop shared by every dtype and operation (one closure called with an
 * element function) is megamorphic in V8: its typed-array loads and the per-element call cannot be
 * inlined, which costs 5-10x. So each kernel family is written once, as a source template, and
 * instantiated per (operation, dtype) with `new Function`; every instance gets its own type
 * feedback and compiles to a tight monomorphic loop. Instances are cached (the most recently used
 * ones: a key can carry a user's value, such as integer_pow's exponent).
 */
import { Lru } from "../../core/lru.js"
import { ValueError } from "../../core/errors.js"
import { erf, intPow, pairwiseSum, roundHalfEven } from "./mathfns.js"

// ---------------------------------------------------------------------------------------------
// The only ways a value gets into generated source. Names (`v3`, `i0`, `in1`) are made by the
// generators from their own counters; every number goes through one of these two formatters,
// which refuse anything but a number (a user's object whose toString is code never becomes source).

const refuse = (v: unknown, want: string): never => {
  throw new ValueError(
    `code generation refused ${typeof v === "number" ? String(v) : `a ${typeof v}`} where ${want} belongs; shapes, axes and ` +
      "static parameters must be JS numbers (safe integers), which every jaxfx function checks: was an array's shape changed in place?"
  )
}

/** A JS literal denoting exactly the double `v` (constants, initial values). */
export const jsNumber = (v: number): string => {
  if (typeof v !== "number") return refuse(v, "a number")
  if (Object.is(v, -0)) return "-0"
  if (Number.isNaN(v)) return "NaN"
  if (v === Infinity) return "Infinity"
  if (v === -Infinity) return "-Infinity"
  const s = String(v)
  return v < 0 ? `(${s})` : s
}

/** A JS literal of the safe integer `v` (sizes, strides, offsets, bounds, counts). */
export const jsInt = (v: number): string => {
  if (typeof v !== "number" || !Number.isSafeInteger(v)) return refuse(v, "a safe integer")
  return v < 0 ? `(${String(v)})` : String(v)
}

/** Helpers the generated code may call as `H.name(...)` (small, inlined by the JIT). */
export const helpers = { erf, intPow, pairwiseSum, roundHalfEven } as const

const compiled = new Lru<string, unknown>(1024)

/**
 * Instantiate `source` (the body of a function of `H` that returns the kernel) once per `key`.
 * The template text is trusted code from this folder, never user input.
 */
export const compile = <F>(key: string, source: () => string): F => {
  let f = compiled.get(key)
  if (f === undefined) {
    const src = source()
    try {
      f = new Function("H", `"use strict";\n${src}`)(helpers)
    } catch (e) {
      throw new Error(`jaxfx cpu backend: failed to compile kernel ${key}: ${String(e)}\n${src}`)
    }
    compiled.set(key, f)
  }
  return f as F
}

/** How many kernels have been generated (for tests and diagnostics). */
export const compiledCount = (): number => compiled.size
