/**
 * The autodiff API over pytrees: jvp, linearize, vjp, grad, valueAndGrad. All are built from
 * the flat interpreters: jvp (forward), linearize (partial evaluation of jvp) and the backward
 * pass (transposition of the linear program).
 */
import { Array } from "../array.js"
import { isComplex, isFloat } from "../dtype.js"
// Types only: Effect programs are transformed by jaxfx/effects through the extension point.
import type { Effect } from "effect/Effect"
import { DTypeError, type JaxfxError, NonScalarOutputError, TreeError, ValueError } from "../errors.js"
import { evalJaxpr } from "../ir.js"
import { checkOptions, optionKeys } from "../options.js"
import { jvpFlat } from "../interpreters/jvp.js"
import { linearizeFlat } from "../interpreters/partial-eval.js"
import { backwardPass, ctToArray } from "../interpreters/transpose.js"
import { Zero } from "../primitive.js"
import { constant } from "../primitives/common.js"
import { argIndices } from "../shape.js"
import { flatten, type TreeDef, unflatten } from "../tree.js"
import { checkClaim, withExtension } from "./extension.js"

/** The tangent (or cotangent, or gradient) type of a value: every leaf becomes an Array. */
export type Tangent<T> = T extends Array | number
  ? Array
  : T extends null | undefined
    ? T
    : T extends ReadonlyArray<unknown>
      ? { -readonly [K in keyof T]: Tangent<T[K]> }
      : T extends object
        ? { -readonly [K in keyof T]: Tangent<T[K]> }
        : T

/** An argument index or tuple of indices (JAX's argnums). */
export type Argnums = number | ReadonlyArray<number>

/** The gradient type for `argnums` A over arguments Args. */
export type GradOf<Args extends ReadonlyArray<unknown>, A extends Argnums> = A extends number
  ? Tangent<Args[A]>
  : { -readonly [K in keyof A]: A[K] extends number ? Tangent<Args[A[K]]> : never }

/** Convert a leaf to an Array for differentiation: JS numbers become weakly typed float32. */
const leafToArray = (x: unknown, what: string): Array => {
  if (x instanceof Array) return x
  if (typeof x === "number") return constant(x, "float32", [], true)
  throw new DTypeError(`${what}: cannot differentiate with respect to ${typeof x} leaf ${String(x)}; leaves must be Arrays or numbers.`)
}

const flatArrays = (x: unknown, what: string): [Array[], TreeDef] => {
  const [leaves, def] = flatten(x)
  return [leaves.map((l) => leafToArray(l, what)), def]
}

/** JAX's input checks of grad: float or complex inputs; complex ones only with `holomorphic`. */
const checkFloatInputs = (xs: ReadonlyArray<Array>, what: string, holomorphic = false): void => {
  for (const x of xs) {
    if (holomorphic && !isComplex(x.dtype)) {
      throw new DTypeError(`${what} with holomorphic: true requires inputs with complex dtype, but got ${x.dtype}. Convert with x.astype("complex64").`)
    }
    if (!isFloat(x.dtype) && !isComplex(x.dtype)) {
      throw new DTypeError(
        `${what} requires real- or complex-valued inputs (a float or complex dtype), but got ${x.dtype}. ` +
          'Cast the argument with x.astype("float32"), or differentiate with respect to a different argument (argnums).'
      )
    }
  }
}

/** Output leaves of a function result as Arrays (non-Array leaves are not allowed in outputs). */
const outputArrays = (out: unknown, what: string): [Array[], TreeDef] => {
  const [leaves, def] = flatten(out)
  return [
    leaves.map((l) => {
      if (l instanceof Array) return l
      if (typeof l === "number" || typeof l === "boolean")
        return constant(typeof l === "boolean" ? Number(l) : l, typeof l === "boolean" ? "bool" : "float32", [], typeof l === "number")
      throw new TreeError(`${what}: the function returned a ${typeof l} leaf; outputs must be pytrees of Arrays.`)
    }),
    def
  ]
}

// ---------------------------------------------------------------------------------------------

/**
 * Forward-mode Jacobian-vector product: `jvp(f, primals, tangents)` returns `[f(...primals), J·tangents]`.
 *
 * @example
 * const [y, dy] = jvp((x: Array) => np.sin(x), [np.array(0.5)], [np.array(1, { dtype: "float32" })]) // dy = cos(0.5)
 */
export const jvp = <Args extends ReadonlyArray<unknown>, R>(
  f: (...args: Args) => R,
  primals: Args,
  tangents: { readonly [K in keyof Args]: Tangent<Args[K]> }
): [R, Tangent<R>] => {
  const [pLeaves, pDef] = flatArrays(primals, "jvp")
  const [tLeaves, tDef] = flatArrays(tangents, "jvp")
  if (!pDef.equals(tDef)) {
    throw new TreeError(`jvp: primals and tangents must have the same structure, got ${pDef.toString()} and ${tDef.toString()}`)
  }
  pLeaves.forEach((p, i) => {
    const t = tLeaves[i]!
    if (p.shape.join(",") !== t.shape.join(",")) {
      throw new ValueError(`jvp: primal ${i} has shape [${p.shape.join(", ")}] but its tangent has shape [${t.shape.join(", ")}]; they must match.`)
    }
  })
  let outDef: TreeDef | undefined
  const [outs, touts] = jvpFlat(
    (xs) => {
      const out = f(...(unflatten(pDef, xs) as unknown as Args))
      const [leaves, def] = outputArrays(out, "jvp")
      outDef = def
      return leaves
    },
    pLeaves,
    tLeaves
  )
  return [unflatten(outDef!, outs) as R, unflatten(outDef!, touts.map(ctToArray)) as Tangent<R>]
}

/**
 * Linearize `f` at `primals`: returns `f(...primals)` and a function computing J·t for any tangents,
 * evaluating only the linear part (the primal computation is done once).
 *
 * @example
 * const [y, fJvp] = linearize((x: Array) => np.sin(x), np.array(0.5)); fJvp(np.array(1, { dtype: "float32" }))
 */
export const linearize = <Args extends ReadonlyArray<unknown>, R>(
  f: (...args: Args) => R,
  ...primals: Args
): [R, (...tangents: { readonly [K in keyof Args]: Tangent<Args[K]> }) => Tangent<R>] => {
  const [pLeaves, pDef] = flatArrays(primals, "linearize")
  let outDef: TreeDef | undefined
  const [outs, lin] = linearizeFlat((xs) => {
    const [leaves, def] = outputArrays(f(...(unflatten(pDef, xs) as unknown as Args)), "linearize")
    outDef = def
    return leaves
  }, pLeaves)
  const fJvp = (...tangents: { readonly [K in keyof Args]: Tangent<Args[K]> }): Tangent<R> => {
    const [tLeaves, tDef] = flatArrays(tangents, "linearize")
    if (!tDef.equals(pDef)) throw new TreeError(`linearize: tangents ${tDef.toString()} do not match the primals ${pDef.toString()}`)
    return unflatten(outDef!, evalJaxpr(lin.jaxpr, lin.consts, tLeaves)) as Tangent<R>
  }
  return [unflatten(outDef!, outs) as R, fJvp]
}

/** vjp with the auxiliary output split off: f returns [out, aux]. */
const vjpImpl = <Args extends ReadonlyArray<unknown>>(
  f: (...args: Args) => unknown,
  primals: Args,
  hasAux: boolean,
  what: string
): [unknown, (ct: unknown) => unknown[], unknown] => {
  const [pLeaves, pDef] = flatArrays(primals, what)
  let outDef: TreeDef | undefined
  let auxDef: TreeDef | undefined
  let nOut = 0
  const [outs, lin] = linearizeFlat(
    (xs) => {
      const result = f(...(unflatten(pDef, xs) as unknown as Args))
      let main = result
      let auxLeaves: Array[] = []
      if (hasAux) {
        if (!globalThis.Array.isArray(result) || result.length !== 2) {
          throw new ValueError(`${what} with hasAux: the function must return a pair [output, aux], got ${describe(result)}`)
        }
        main = result[0]
        ;[auxLeaves, auxDef] = outputArrays(result[1], what)
      }
      const [leaves, def] = outputArrays(main, what)
      outDef = def
      nOut = leaves.length
      return [...leaves, ...auxLeaves]
    },
    pLeaves,
    undefined
  )
  const mainOuts = outs.slice(0, nOut)
  const auxOuts = outs.slice(nOut)
  const vjpFn = (ct: unknown): unknown[] => {
    const [ctLeaves, ctDef] = flatArrays(ct, what)
    if (!ctDef.equals(outDef!)) throw new TreeError(`${what}: the cotangent ${ctDef.toString()} does not match the output ${outDef!.toString()}`)
    const cts: (Array | Zero)[] = [...ctLeaves, ...auxOuts.map((a) => new Zero(a.aval.strongType()))]
    const inCts = backwardPass(lin, cts).map(ctToArray)
    return unflatten(pDef, inCts) as unknown[]
  }
  return [unflatten(outDef!, mainOuts), vjpFn, hasAux ? unflatten(auxDef!, auxOuts) : undefined]
}

const describe = (x: unknown): string => {
  if (x instanceof Array) return `an array of shape [${x.shape.join(", ")}] (${x.dtype})`
  if (globalThis.Array.isArray(x)) return `a tuple of ${x.length} values`
  return typeof x
}

/**
 * Reverse mode: `vjp(f, ...primals)` returns `[f(...primals), vjpFn]` where `vjpFn(ct)` returns
 * the cotangents of every primal (a tuple), i.e. ctᵀ·J.
 *
 * @example
 * const [y, back] = vjp((x: Array) => np.sum(np.square(x)), np.array([1, 2, 3]).astype("float32"))
 * back(np.array(1, { dtype: "float32" })) // [Array([2., 4., 6.], dtype=float32)]
 */
export const vjp = <Args extends ReadonlyArray<unknown>, R>(
  f: (...args: Args) => R,
  ...primals: Args
): [R, (ct: Tangent<R>) => { -readonly [K in keyof Args]: Tangent<Args[K]> }] => {
  const [out, back] = vjpImpl(f, primals, false, "vjp")
  return [out as R, back as unknown as (ct: Tangent<R>) => { -readonly [K in keyof Args]: Tangent<Args[K]> }]
}

/**
 * `vjp` for a function returning `[output, aux]`: returns `[output, vjpFn, aux]`.
 *
 * @example
 * const f = (x: Array) => [np.sin(x).sum(), { x2: x.mul(x) }] as const
 * const [y, vjpFn, aux] = vjpWithAux(f, np.array([0, 1], { dtype: "float32" }))
 * vjpFn(np.array(1, { dtype: "float32" })) // [Array([1.       , 0.5403023], dtype=float32)]
 */
export const vjpWithAux = <Args extends ReadonlyArray<unknown>, R, Aux>(
  f: (...args: Args) => readonly [R, Aux],
  ...primals: Args
): [R, (ct: Tangent<R>) => { -readonly [K in keyof Args]: Tangent<Args[K]> }, Aux] => {
  const [out, back, aux] = vjpImpl(f, primals, true, "vjp")
  return [out as R, back as unknown as (ct: Tangent<R>) => { -readonly [K in keyof Args]: Tangent<Args[K]> }, aux as Aux]
}

// ---------------------------------------------------------------------------------------------

export interface GradOptions<A extends Argnums> {
  /** Which positional argument(s) to differentiate with respect to (default 0). */
  readonly argnums?: A
  /** The function returns `[loss, aux]`; aux is passed through undifferentiated. */
  readonly hasAux?: boolean
  /**
   * The function is holomorphic (complex inputs and a complex output): the result is its complex
   * derivative f'(z), as JAX's `holomorphic=True`.
   */
  readonly holomorphic?: boolean
}
const GRAD_KEYS = optionKeys<GradOptions<Argnums>>()("argnums", "hasAux", "holomorphic")

const normalizeArgnums = (argnums: Argnums, nargs: number, what: string): number[] => argIndices(argnums, `${what}: argnums`, nargs)

const checkScalarLoss = (out: unknown, hasAux: boolean, what: string, holomorphic = false): Array => {
  if (!(out instanceof Array)) {
    throw new NonScalarOutputError(
      `${what} is only defined for functions returning a scalar; this one returned ${describe(out)}. ` +
        (globalThis.Array.isArray(out) && !hasAux
          ? "If it returns [loss, aux] (auxiliary data alongside the loss), pass { hasAux: true }."
          : "Reduce the output to a scalar (e.g. np.sum or np.mean), or use vjp / jacrev for vector outputs.")
    )
  }
  if (out.ndim !== 0) {
    throw new NonScalarOutputError(
      `${what} is only defined for scalar-output functions; the output had shape [${out.shape.join(", ")}]. ` +
        "Reduce it with np.sum / np.mean, or use vjp or jacrev for non-scalar outputs."
    )
  }
  if (holomorphic) {
    if (!isComplex(out.dtype)) throw new DTypeError(`${what} with holomorphic: true requires outputs with complex dtype, but got ${out.dtype}.`)
    return out
  }
  if (isComplex(out.dtype)) {
    throw new DTypeError(
      `${what} requires real-valued outputs (a float dtype), but got ${out.dtype}. For holomorphic differentiation, pass ` +
        "{ holomorphic: true }. For non-holomorphic functions with complex outputs, use vjp directly (or np.real / np.abs of the output)."
    )
  }
  if (!isFloat(out.dtype)) {
    throw new DTypeError(`${what} requires a real-valued (float) output, got ${out.dtype}. Cast the loss with astype("float32").`)
  }
  return out
}

const valueAndGradImpl =
  <Args extends ReadonlyArray<unknown>>(f: (...args: Args) => unknown, opts: GradOptions<Argnums> | undefined, what: string) =>
  (...args: Args): [unknown, unknown] => {
    const hasAux = opts?.hasAux === true
    const holomorphic = opts?.holomorphic === true
    const argnums = opts?.argnums ?? 0
    const idx = normalizeArgnums(argnums, args.length, what)
    const diffArgs = idx.map((i) => args[i])
    const [leaves] = flatArrays(diffArgs, what)
    checkFloatInputs(leaves, what, holomorphic)
    const fDiff = (...ds: unknown[]): unknown => {
      const full = [...args]
      idx.forEach((i, k) => (full[i] = ds[k]))
      const result = f(...(full as unknown as Args))
      checkClaim(result)
      if (hasAux) {
        if (!globalThis.Array.isArray(result) || result.length !== 2) {
          throw new ValueError(`${what} with hasAux: the function must return a pair [loss, aux], got ${describe(result)}`)
        }
        return [checkScalarLoss(result[0], false, what, holomorphic), result[1]]
      }
      return checkScalarLoss(result, false, what, holomorphic)
    }
    const [out, back, aux] = vjpImpl(fDiff, diffArgs, hasAux, what)
    const loss = out as Array
    const cts = back(constant(1, loss.dtype, []))
    const g = typeof argnums === "number" ? cts[0] : cts
    return [hasAux ? [out, aux] : out, g]
  }

/**
 * `valueAndGrad(f)` evaluates `f` and its gradient together: returns `[value, grad]`, or
 * `[[value, aux], grad]` with `hasAux`.
 *
 * @example
 * const [x, y] = [np.array([1, 2], { dtype: "float32" }), np.array([0, 4], { dtype: "float32" })]
 * const [loss, g] = valueAndGrad((x: Array, y: Array) => np.sum(np.square(x.sub(y))))(x, y)
 */
export function valueAndGrad<Args extends ReadonlyArray<unknown>, E, R, const A extends Argnums = 0>(
  f: (...args: Args) => Effect<Array, E, R>,
  opts?: GradOptions<A> & { readonly hasAux?: false }
): (...args: Args) => Effect<[Array, GradOf<Args, A>], E | JaxfxError, R>
export function valueAndGrad<Args extends ReadonlyArray<unknown>, Aux, E, R, const A extends Argnums = 0>(
  f: (...args: Args) => Effect<readonly [Array, Aux], E, R>,
  opts: GradOptions<A> & { readonly hasAux: true }
): (...args: Args) => Effect<[[Array, Aux], GradOf<Args, A>], E | JaxfxError, R>
export function valueAndGrad<Args extends ReadonlyArray<unknown>, const A extends Argnums = 0>(
  f: (...args: Args) => Array,
  opts?: GradOptions<A> & { readonly hasAux?: false }
): (...args: Args) => [Array, GradOf<Args, A>]
export function valueAndGrad<Args extends ReadonlyArray<unknown>, Aux, const A extends Argnums = 0>(
  f: (...args: Args) => readonly [Array, Aux],
  opts: GradOptions<A> & { readonly hasAux: true }
): (...args: Args) => [[Array, Aux], GradOf<Args, A>]
export function valueAndGrad<Args extends ReadonlyArray<unknown>>(f: (...args: Args) => unknown, opts?: GradOptions<Argnums>): (...args: Args) => unknown {
  checkOptions("valueAndGrad", opts, GRAD_KEYS)
  const direct = valueAndGradImpl(f, opts, "valueAndGrad")
  let delegated: ((...args: ReadonlyArray<unknown>) => unknown) | undefined
  return (...args: Args) => {
    if (delegated !== undefined) return delegated(...args)
    return withExtension<unknown>(
      () => direct(...args),
      (e) => (delegated = e.valueAndGrad(f as (...a: never[]) => unknown, opts ?? {}))(...args)
    )
  }
}

/**
 * `grad(f)` returns a function computing the gradient of scalar-valued `f` with respect to its
 * first argument (or `argnums`), with the structure of that argument. With `hasAux`, f returns
 * `[loss, aux]` and the gradient function returns `[grad, aux]`.
 *
 * @example
 * const sumOfSquares = (x: Array) => np.sum(x.pow(2))
 * grad(sumOfSquares)(np.asarray([1.0, 2.0, 3.0, 4.0]).astype("float32")) // [2., 4., 6., 8.]
 */
export function grad<Args extends ReadonlyArray<unknown>, E, R, const A extends Argnums = 0>(
  f: (...args: Args) => Effect<Array, E, R>,
  opts?: GradOptions<A> & { readonly hasAux?: false }
): (...args: Args) => Effect<GradOf<Args, A>, E | JaxfxError, R>
export function grad<Args extends ReadonlyArray<unknown>, Aux, E, R, const A extends Argnums = 0>(
  f: (...args: Args) => Effect<readonly [Array, Aux], E, R>,
  opts: GradOptions<A> & { readonly hasAux: true }
): (...args: Args) => Effect<[GradOf<Args, A>, Aux], E | JaxfxError, R>
export function grad<Args extends ReadonlyArray<unknown>, const A extends Argnums = 0>(
  f: (...args: Args) => Array,
  opts?: GradOptions<A> & { readonly hasAux?: false }
): (...args: Args) => GradOf<Args, A>
export function grad<Args extends ReadonlyArray<unknown>, Aux, const A extends Argnums = 0>(
  f: (...args: Args) => readonly [Array, Aux],
  opts: GradOptions<A> & { readonly hasAux: true }
): (...args: Args) => [GradOf<Args, A>, Aux]
export function grad<Args extends ReadonlyArray<unknown>>(f: (...args: Args) => unknown, opts?: GradOptions<Argnums>): (...args: Args) => unknown {
  checkOptions("grad", opts, GRAD_KEYS)
  const vg = valueAndGradImpl(f, opts, "grad")
  let delegated: ((...args: ReadonlyArray<unknown>) => unknown) | undefined
  return (...args: Args) => {
    if (delegated !== undefined) return delegated(...args)
    return withExtension<unknown>(
      () => {
        const [value, g] = vg(...args)
        return opts?.hasAux === true ? [g, (value as [unknown, unknown])[1]] : g
      },
      (e) => (delegated = e.grad(f as (...a: never[]) => unknown, opts ?? {}))(...args)
    )
  }
}
