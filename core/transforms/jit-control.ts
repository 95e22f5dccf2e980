/**
 * Switches over every jitted function at once: `disableJit` (JAX's `jax.disable_jit()`) runs jitted
 * functions as plain Python-style calls, for debugging with concrete values; `clearCaches` (JAX's
 * `jax.clear_caches()`) drops every compiled program.
 */
import { clearEagerCache } from "../devices/eager.js"

let disabled = 0

/** Whether jitted functions run their function directly (inside `disableJit`). */
export const jitDisabled = (): boolean => disabled > 0

/**
 * Run `body` with jit turned off (JAX's `with jax.disable_jit():`): jitted functions called inside
 * run their function eagerly, so values are concrete (print them, `.item()` them, branch on them);
 * the arrays are the same, and as in JAX, numbers the function returns stay numbers. Nested calls
 * nest; the setting is restored when `body` returns or throws.
 *
 * @example
 * const f = jit((x: Array) => { console.log(x.item()); return x.mul(2) })
 * disableJit(() => f(np.array(3))) // prints 3 (a concrete value), returns Array(6)
 */
export const disableJit = <T>(body: () => T): T => {
  disabled++
  try {
    return body()
  } finally {
    disabled--
  }
}

/** Live jitted functions, held weakly: a function the program dropped leaves the set when collected. */
const caches = new Set<WeakRef<{ readonly clearCache: () => void }>>()
const forget = new FinalizationRegistry<WeakRef<{ readonly clearCache: () => void }>>((ref) => caches.delete(ref))

/** Register a jitted function for `clearCaches`. */
export const registerJitCache = (jitted: { readonly clearCache: () => void }): void => {
  const ref = new WeakRef(jitted)
  caches.add(ref)
  forget.register(jitted, ref)
}

/**
 * Drop every compiled program (JAX's `jax.clear_caches()`): each jitted function's cache and the
 * eager operations' programs, releasing what the devices compiled. The next call traces and
 * compiles again.
 *
 * @example
 * clearCaches()
 */
export const clearCaches = (): void => {
  for (const ref of caches) {
    const jitted = ref.deref()
    if (jitted === undefined) caches.delete(ref)
    else jitted.clearCache()
  }
  clearEagerCache()
}
