/** Shapes: sizes, strides, NumPy broadcasting and axis normalization. */
import { ShapeError, ValueError } from "./errors.js"

export type Shape = ReadonlyArray<number>

export const showShape = (s: Shape): string => `(${s.join(", ")}${s.length === 1 ? "," : ""})`

export const sizeOf = (s: Shape): number => {
  let n = 1
  for (const d of s) n *= d
  return n
}

/** Row-major (C order) strides in elements. */
export const stridesOf = (s: Shape): Array<number> => {
  const out = new Array<number>(s.length)
  let acc = 1
  for (let i = s.length - 1; i >= 0; i--) {
    out[i] = acc
    acc *= s[i]!
  }
  return out
}

export const shapeEqual = (a: Shape, b: Shape): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** NumPy broadcasting of any number of shapes; a ShapeError names every shape when they clash. */
export const broadcastShapes = (...shapes: ReadonlyArray<Shape>): Array<number> => {
  let rank = 0
  for (const s of shapes) rank = Math.max(rank, s.length)
  const out = new Array<number>(rank).fill(1)
  for (const s of shapes) {
    const off = rank - s.length
    for (let i = 0; i < s.length; i++) {
      const d = s[i]!
      const o = out[off + i]!
      if (d === o || d === 1) continue
      if (o === 1) out[off + i] = d
      else {
        throw new ShapeError(
          `shapes ${shapes.map(showShape).join(" and ")} cannot be broadcast together: ` +
            `dimension ${i - s.length} is ${o} in one and ${d} in another. ` +
            `Reshape one of them (e.g. with expandDims) so that each dimension is equal or 1.`
        )
      }
    }
  }
  return out
}

/** Normalize a possibly negative axis against a rank, with a ShapeError when out of range. */
export const normalizeAxis = (axis: number, rank: number, what = "axis"): number => {
  if (!isSafeInt(axis)) throw new ShapeError(`${what} must be an integer, got ${describe(axis)}; use an axis in [${-rank}, ${rank - 1}].`)
  if (axis < -rank || axis >= rank) {
    throw new ShapeError(`${what} ${axis} is out of bounds for an array of rank ${rank}; use an axis in [${-rank}, ${rank - 1}].`)
  }
  return axis < 0 ? axis + rank : axis
}

/** Normalize an axis option (number, list or undefined = all axes), sorted and de-duplicated. */
export const normalizeAxes = (axis: number | ReadonlyArray<number> | null | undefined, rank: number): Array<number> => {
  if (axis === undefined || axis === null) return Array.from({ length: rank }, (_, i) => i)
  if (typeof axis !== "number" && !Array.isArray(axis)) {
    throw new ShapeError(`axis must be an integer, a list of integers or null, got ${describe(axis)}.`)
  }
  const list: ReadonlyArray<number> = typeof axis === "number" ? [axis] : axis
  const out = list.map((a) => normalizeAxis(a, rank))
  if (new Set(out).size !== out.length) throw new ShapeError(`repeated axis in ${describe(list)}; give each axis once.`)
  return out.sort((a, b) => a - b)
}

// ---------------------------------------------------------------------------------------------
// Static parameters. Every shape, dimension, axis and static integer a user hands to jaxfx is
// checked here, at the API boundary and again in each primitive's shape rule, so that nothing but
// a safe integer ever reaches a kernel (or the source of a generated one): a typed error otherwise.

const isSafeInt = (x: unknown): x is number => typeof x === "number" && Number.isSafeInteger(x)

/**
 * A user value as messages show it, without calling any of its methods (an object's `toString`
 * is user code): numbers and short lists as written, strings quoted, anything else by its type.
 */
export const describe = (x: unknown, depth = 0): string => {
  switch (typeof x) {
    case "number":
      return Object.is(x, -0) ? "-0" : String(x)
    case "string":
      return `the string ${JSON.stringify(x.length > 40 ? `${x.slice(0, 40)}...` : x)}`
    case "boolean":
    case "undefined":
    case "bigint":
      return `${String(x)}${typeof x === "bigint" ? "n" : ""}`
    case "object":
      if (x === null) return "null"
      if (Array.isArray(x) && depth < 2) {
        const items = x.slice(0, 8).map((v) => (typeof v === "string" ? JSON.stringify(v) : describe(v, depth + 1)))
        return `[${items.join(", ")}${x.length > 8 ? ", ..." : ""}]`
      }
      return Array.isArray(x) ? "a nested list" : "an object"
    default:
      return `a ${typeof x}`
  }
}

/** A boolean static parameter (a flag such as `reverse`), or a ValueError naming `what`. */
export const checkFlag = (x: unknown, what: string): boolean => {
  if (typeof x !== "boolean") throw new ValueError(`${what} must be true or false, got ${describe(x)}.`)
  return x
}

/** A safe integer of any sign (a static integer parameter), or a ShapeError naming `what`. */
export const checkInt = (x: unknown, what: string): number => {
  if (!isSafeInt(x)) throw new ShapeError(`${what} must be an integer (a JS number), got ${describe(x)}.`)
  return x
}

/** A dimension size or count: a safe non-negative integer, or a ShapeError naming `what`. */
export const checkDim = (x: unknown, what: string): number => {
  if (!isSafeInt(x) || x < 0) throw new ShapeError(`${what} must be a non-negative integer, got ${describe(x)}.`)
  return x
}

/** A list of safe integers (a copy), each at least `min` when given, of `length` when given. */
export const checkIntList = (xs: unknown, what: string, opts: { readonly min?: number; readonly length?: number } = {}): number[] => {
  // The message is built only on failure: this runs on every call of the structural functions.
  const fail = (extra = ""): never => {
    const kind = opts.min === 0 ? "non-negative integers" : opts.min === undefined ? "integers" : `integers of at least ${opts.min}`
    const want = opts.length === undefined ? `a list of ${kind}` : `a list of ${opts.length} ${kind}`
    throw new ShapeError(`${what} must be ${want}, got ${describe(xs)}${extra}.`)
  }
  if (!Array.isArray(xs)) return fail()
  if (opts.length !== undefined && xs.length !== opts.length) return fail(` (${xs.length} entries)`)
  const min = opts.min
  const out = new Array<number>(xs.length)
  for (let i = 0; i < xs.length; i++) {
    const v: unknown = xs[i]
    if (!isSafeInt(v) || (min !== undefined && v < min)) return fail()
    out[i] = v
  }
  return out
}

/** An integer or a list of integers (NumPy's "int or sequence of ints") as a list (a copy); a ShapeError naming `what` otherwise. */
export const intOrList = (x: unknown, what: string): number[] =>
  typeof x === "number" ? [checkInt(x, what)] : checkIntList(x, `${what} (an integer or a list of integers)`)

/**
 * Argument positions (`argnums`, `staticArgnums`): an integer or a list of them, negatives counted
 * from the end when the call's argument count `nargs` is given; a ValueError naming `what` otherwise.
 */
export const argIndices = (x: unknown, what: string, nargs?: number): number[] => {
  const list: ReadonlyArray<unknown> | undefined = typeof x === "number" ? [x] : Array.isArray(x) ? x : undefined
  if (list === undefined || !list.every(isSafeInt)) throw new ValueError(`${what} must be an argument index or a list of them, got ${describe(x)}.`)
  if (nargs === undefined) return [...list]
  return list.map((a) => {
    if (a < -nargs || a >= nargs) throw new ValueError(`${what} ${describe(x)} is out of range for a call with ${nargs} positional argument(s).`)
    return a < 0 ? a + nargs : a
  })
}

/** A shape: non-negative safe integers whose product is a safe integer (a copy). */
export const checkShape = (s: unknown, what: string): number[] => {
  const out = checkIntList(s, what, { min: 0 })
  if (!Number.isSafeInteger(sizeOf(out))) throw new ShapeError(`${what} ${showShape(out)} has more elements than an array can hold (2^53 - 1 at most).`)
  return out
}

const axisProblem = (x: unknown, rank: number): string | undefined => {
  if (isSafeInt(x) && x >= 0 && x < rank) return undefined
  const range = rank === 0 ? "an array of rank 0 has no axes" : `use an axis in [0, ${rank - 1}] for an array of rank ${rank}`
  const hint = isSafeInt(x) && x < 0 && x >= -rank ? ` (lax takes no negative axes: ${x} is ${x + rank})` : ""
  return `${range}${hint}`
}

/** An axis of an array of rank `rank` as primitives take it: an integer in [0, rank) (no negatives, as in lax). */
export const checkAxis = (x: unknown, rank: number, what: string): number => {
  const problem = axisProblem(x, rank)
  if (problem !== undefined) throw new ShapeError(`${what} ${describe(x)} is not an axis: ${problem}.`)
  return x as number
}

/** Distinct axes in [0, rank) (a copy in the given order), as lax's rev, reductions and transposes take them. */
export const checkAxes = (xs: unknown, rank: number, what: string): number[] => {
  if (!Array.isArray(xs)) throw new ShapeError(`${what} must be a list of axes, got ${describe(xs)}.`)
  for (const x of xs as ReadonlyArray<unknown>) {
    const problem = axisProblem(x, rank)
    if (problem !== undefined) throw new ShapeError(`${what} ${describe(xs)}: ${describe(x)} is not an axis: ${problem}.`)
  }
  const out = [...(xs as ReadonlyArray<number>)]
  if (new Set(out).size !== out.length) throw new ShapeError(`${what} ${describe(xs)} repeats an axis; give each axis once.`)
  return out
}

/**
 * The check every abstract value makes of its own shape (ShapedArray's constructor): a list of
 * safe non-negative integers. The message is the generic one; API functions check their
 * arguments first (checkShape, which also bounds the size) with messages of their own.
 */
export const assertShape = (s: Shape): void => {
  if (!Array.isArray(s)) throw new ShapeError(`a shape must be a list of non-negative integers, got ${describe(s)}.`)
  for (let i = 0; i < s.length; i++) {
    const d: unknown = s[i]
    if (!isSafeInt(d) || d < 0) throw new ShapeError(`a shape must be a list of non-negative integers, got ${describe(s)}.`)
  }
}
