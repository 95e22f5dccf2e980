/**
 * Seeded host-side random numbers for test and benchmark data (not for models: use `random`).
 * One generator here keeps every test, benchmark and example drawing the same kind of numbers.
 */

/** mulberry32: deterministic uniform numbers in [0, 1) from a 32-bit seed. */
export const mulberry32 = (seed: number): (() => number) => {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** `n` standard normal draws (Box-Muller) from a uniform generator. */
export const hostNormals = (uniform: () => number, n: number, scale = 1): number[] =>
  globalThis.Array.from({ length: n }, () => scale * Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform()))
