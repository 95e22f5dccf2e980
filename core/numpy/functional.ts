/**
 * Function application helpers in `np`: `vectorize` (with NumPy's generalized signatures),
 * `apply_along_axis`, `apply_over_axes`, `fromfunction`, `select` and `piecewise`. As in JAX they
 * are vmap and `where` over the user's function, so they compose with every transformation.
 */
import { Array } from "../array.js"
import { type DType } from "../dtype.js"
import { ShapeError, ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { vmap } from "../transforms/vmap.js"
import { broadcastShapes, normalizeAxis, showShape } from "../shape.js"
import { type ArrayLike, asArray, type Operand, promoteDtypes } from "./coerce.js"
import { arange } from "./creation.js"
import { where } from "./math.js"
import { broadcastTo, expandDims, moveaxis, reshape } from "./shape.js"

const toArray = (x: ArrayLike): Array => (x instanceof Array ? x : asArray(x))
const seq = (n: number, from = 0): number[] => globalThis.Array.from({ length: n }, (_, i) => from + i)

/** A generalized ufunc signature: core dimension names per input and per output. */
interface Signature {
  readonly inputs: ReadonlyArray<ReadonlyArray<string>>
  readonly outputs: ReadonlyArray<ReadonlyArray<string>>
}
const parseSignature = (sig: string): Signature => {
  const m = /^\s*(.*)->(.*)$/.exec(sig)
  const list = (s: string): string[][] => {
    const groups = s.match(/\(([^()]*)\)/g)
    if (groups === null) throw new ValueError(`np.vectorize: cannot parse the signature "${sig}"; write it like "(m,n),(n)->(m)".`)
    return groups.map((g) =>
      g
        .slice(1, -1)
        .split(",")
        .map((t) => t.trim())
        .filter((t) => t !== "")
    )
  }
  if (m === null) throw new ValueError(`np.vectorize: the signature "${sig}" has no "->"; write it like "(m,n),(n)->(m)".`)
  return { inputs: list(m[1]!), outputs: list(m[2]!) }
}

export interface VectorizeOptions {
  /** Positions of arguments passed through unchanged (not vectorized). */
  readonly excluded?: ReadonlyArray<number>
  /** A generalized signature such as "(n),(n)->()": the core dimensions f sees. */
  readonly signature?: string
}
const VECTORIZE_KEYS = optionKeys<VectorizeOptions>()("excluded", "signature")

/**
 * `jnp.vectorize(pyfunc, excluded=frozenset(), signature=None)`: a function of scalars (or of
 * core dimensions given by `signature`) applied over broadcast leading dimensions with vmap.
 *
 * @example
 * const f = np.vectorize((a: Array, b: Array) => np.add(a, np.multiply(b, 2)))
 * f(np.array([1, 2]), np.array([[1], [2]])) // shape [2, 2]
 * np.vectorize((v: Array) => np.sum(v), { signature: "(n)->()" })(np.ones([3, 4])) // [4, 4, 4]
 */
export const vectorize = <R extends Array | ReadonlyArray<Array>>(
  pyfunc: (...args: Array[]) => R,
  options?: VectorizeOptions
): ((...args: ArrayLike[]) => R) => {
  checkOptions("np.vectorize", options, VECTORIZE_KEYS)
  const excluded = new Set(options?.excluded ?? [])
  const sig = options?.signature === undefined ? undefined : parseSignature(options.signature)
  return (...rawArgs: ArrayLike[]): R => {
    const args = rawArgs.map((a, i) => (excluded.has(i) ? a : toArray(a)))
    const vec = seq(args.length).filter((i) => !excluded.has(i))
    if (sig !== undefined && sig.inputs.length !== vec.length) {
      throw new ValueError(`np.vectorize: the signature names ${sig.inputs.length} inputs but ${vec.length} vectorized arguments were given.`)
    }
    const sizes = new Map<string, number>()
    const coreRank = vec.map((_, k) => sig?.inputs[k]!.length ?? 0)
    vec.forEach((i, k) => {
      const a = args[i] as Array
      const names = sig?.inputs[k] ?? []
      if (a.ndim < names.length)
        throw new ShapeError(`np.vectorize: argument ${i} of shape ${showShape(a.shape)} has fewer axes than its core dimensions (${names.join(", ")}).`)
      names.forEach((nm, j) => {
        const s = a.shape[a.ndim - names.length + j]!
        const prev = sizes.get(nm)
        if (prev !== undefined && prev !== s) throw new ShapeError(`np.vectorize: core dimension ${nm} has sizes ${prev} and ${s}.`)
        sizes.set(nm, s)
      })
    })
    const loop = broadcastShapes(...vec.map((i, k) => (args[i] as Array).shape.slice(0, (args[i] as Array).ndim - coreRank[k]!)))
    const total = loop.reduce((p, s) => p * s, 1)
    const flat = vec.map((i, k) => {
      const a = args[i] as Array
      const core = a.shape.slice(a.ndim - coreRank[k]!)
      return reshape(broadcastTo(a, [...loop, ...core]), [total, ...core])
    })
    const inner = (...xs: Array[]): R => {
      const full = [...args]
      vec.forEach((i, k) => (full[i] = xs[k]!))
      return pyfunc(...(full as Array[]))
    }
    const out = vmap(inner)(...flat)
    const back = (y: Array): Array => reshape(y, [...loop, ...y.shape.slice(1)])
    return (out instanceof Array ? back(out) : (out as ReadonlyArray<Array>).map(back)) as R
  }
}

/**
 * `jnp.apply_along_axis(func1d, axis, arr, *args)`: `func1d` applied to every 1-D slice along
 * `axis` (vmapped over the others); its output axes take the place of `axis`.
 *
 * @example
 * np.applyAlongAxis((v: Array) => np.sum(np.multiply(v, v)), 1, np.ones([2, 3])) // [3, 3]
 */
export const applyAlongAxis = (
  func1d: (v: Array, ...args: ReadonlyArray<unknown>) => Array,
  axis: number,
  arr: ArrayLike,
  ...args: ReadonlyArray<unknown>
): Array => {
  const a = toArray(arr)
  const d = normalizeAxis(axis, a.ndim, "np.applyAlongAxis axis")
  const moved = moveaxis(a, d, -1)
  const lead = moved.shape.slice(0, -1)
  const total = lead.reduce((p, s) => p * s, 1)
  const out = vmap((v: Array) => func1d(v, ...args))(reshape(moved, [total, a.shape[d]!]))
  const res = reshape(out, [...lead, ...out.shape.slice(1)])
  const k = out.ndim - 1
  // The output's own axes go to position d.
  return moveaxis(res, seq(k, lead.length), seq(k, d))
}

/**
 * `jnp.apply_over_axes(func, a, axes)`: `a = func(a, axis)` for each axis in turn; a result with
 * one axis fewer gets it back (size 1), so the rank never changes.
 *
 * @example
 * np.applyOverAxes((x, ax) => np.sum(x, { axis: ax }), np.ones([2, 3, 4]), [0, 2]).shape // [1, 3, 1]
 */
export const applyOverAxes = (func: (a: Array, axis: number) => Array, a: ArrayLike, axes: number | ReadonlyArray<number>): Array => {
  let x = toArray(a)
  for (const axis of typeof axes === "number" ? [axes] : axes) {
    const r = func(x, axis)
    if (r.ndim === x.ndim) x = r
    else if (r.ndim === x.ndim - 1) x = expandDims(r, axis)
    else throw new ShapeError(`np.applyOverAxes: func returned rank ${r.ndim} for an input of rank ${x.ndim}; it must keep the rank or drop one axis.`)
  }
  return x
}

/**
 * `jnp.fromfunction(function, shape, dtype=float32)`: the array whose element at index (i, j, ...)
 * is `function(i, j, ...)`, the indices given as scalars of `dtype` (vmapped over each axis).
 *
 * @example
 * np.fromfunction((i: Array, j: Array) => np.add(i, np.multiply(j, 10)), [2, 3]) // [[0, 10, 20], [1, 11, 21]]
 */
export const fromfunction = (fn: (...indices: Array[]) => Array, shape: ReadonlyArray<number>, options?: { readonly dtype?: DType }): Array => {
  checkOptions("np.fromfunction", options, ["dtype"])
  const dtype = options?.dtype ?? "float32"
  const n = shape.length
  let f = fn as (...xs: Array[]) => Array
  for (let i = 0; i < n; i++) {
    const inAxes = seq(n).map((j) => (j === i ? 0 : null))
    f = vmap(f, { inAxes: inAxes.reverse() })
  }
  return f(...shape.map((s) => arange(s, { dtype })))
}

/**
 * `jnp.select(condlist, choicelist, default=0)`: per element, the choice of the first true
 * condition (the default where none is).
 *
 * @example
 * const x = np.arange(6)
 * np.select([np.less(x, 2), np.greater(x, 3)], [x, np.multiply(x, 10)], -1) // [0, 1, -1, -1, 40, 50]
 */
export const select = (condlist: ReadonlyArray<ArrayLike>, choicelist: ReadonlyArray<ArrayLike>, defaultValue: Operand = 0): Array => {
  if (condlist.length !== choicelist.length)
    throw new ValueError(`np.select: ${condlist.length} conditions but ${choicelist.length} choices; give one choice per condition.`)
  if (condlist.length === 0) throw new ValueError("np.select: give at least one condition.")
  const conds = condlist.map(toArray)
  conds.forEach((c, i) => {
    if (c.dtype !== "bool") throw new ValueError(`np.select: condition ${i} has dtype ${c.dtype}; conditions must be bool arrays.`)
  })
  const [dflt, ...choices] = promoteDtypes([defaultValue, ...choicelist.map(toArray)])
  let out: Array = dflt!
  for (let k = conds.length - 1; k >= 0; k--) out = where(conds[k]!, choices[k]!, out)
  return out
}

/** A piece of `piecewise`: a function of the input or a constant. */
export type Piece = ((x: Array) => Operand) | number

/**
 * `jnp.piecewise(x, condlist, funclist)`: per element, the piece of the last true condition;
 * one extra piece (after those of the conditions) gives the value where none is true (else 0).
 * Pieces are functions of x (evaluated on all of x) or constants.
 *
 * @example
 * const x = np.array([-2, 0, 3], { dtype: "float32" })
 * np.piecewise(x, [np.less(x, 0), np.greaterEqual(x, 0)], [(v) => np.negative(v), (v) => v]) // |x|
 */
export const piecewise = (x: ArrayLike, condlist: ReadonlyArray<ArrayLike>, funclist: ReadonlyArray<Piece>): Array => {
  const a = toArray(x)
  const n = condlist.length
  if (funclist.length !== n && funclist.length !== n + 1) {
    throw new ValueError(`np.piecewise: ${funclist.length} pieces for ${n} conditions; give ${n} or ${n + 1} (the last for where no condition holds).`)
  }
  const value = (p: Piece): Array => {
    const v = typeof p === "number" ? p : p(a)
    return broadcastTo(promoteDtypes([v, a])[0]!.astype(a.dtype), a.shape)
  }
  let out = funclist.length === n + 1 ? value(funclist[n]!) : broadcastTo(promoteDtypes([0], undefined)[0]!.astype(a.dtype), a.shape)
  condlist.forEach((c, k) => {
    const cond = toArray(c)
    if (cond.dtype !== "bool") throw new ValueError(`np.piecewise: condition ${k} has dtype ${cond.dtype}; conditions must be bool arrays.`)
    out = where(cond, value(funclist[k]!), out)
  })
  return out
}
