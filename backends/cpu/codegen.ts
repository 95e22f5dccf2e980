/**
 * Specialized loops. A loop shared by every dtype and operation (one closure called with an
 * element function) is megamorphic in V8: its typed-array loads and the per-element call cannot be
 * inlined, which costs 5-10x. So each kernel family is written once, as a source template, and
 * instantiated per (operation, dtype) with `new Function`; every instance gets its own type
 * feedback and compiles to a tight monomorphic loop. Instances are cached (the most recently used
 * ones: a key can carry a user's value, such as integer_pow's exponent).
 */
import { Lru } from "../../core/lru.js"
import { erf, intPow, pairwiseSum, roundHalfEven } from "./mathfns.js"

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
