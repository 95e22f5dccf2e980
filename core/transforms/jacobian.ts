/**
 * Jacobians and Hessians: `jacfwd` pushes a basis of input tangents through `jvp` (vmapped),
 * `jacrev` pulls a basis of output cotangents through `vjp` (vmapped), `hessian` is
 * `jacfwd(jacrev(f))`. Results nest the argument's structure inside the output's, and each block
 * has shape `out.shape + in.shape`, as in JAX.
 */
import { Array } from "../array.js"
import { isFloat } from "../dtype.js"
import { DTypeError, ValueError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { eye } from "../numpy/creation.js"
import { constant } from "../primitives/common.js"
import { reshape, slice } from "../primitives/shape-ops.js"
import { argIndices } from "../shape.js"
import { flatten, type TreeDef, unflatten } from "../tree.js"
import { type Argnums, type GradOf, jvp, vjp } from "./autodiff.js"
import { vmap } from "./vmap.js"

/** The Jacobian type: the output's structure with each array leaf replaced by `T`. */
export type Jacobian<R, T> = R extends Array
  ? T
  : R extends ReadonlyArray<unknown>
    ? { -readonly [K in keyof R]: Jacobian<R[K], T> }
    : R extends object
      ? { -readonly [K in keyof R]: Jacobian<R[K], T> }
      : never

export interface JacobianOptions<A extends Argnums> {
  readonly argnums?: A
}
const JACOBIAN_KEYS = optionKeys<JacobianOptions<Argnums>>()("argnums")

const leafArray = (x: unknown): Array => {
  if (x instanceof Array) return x
  if (typeof x === "number") return constant(x, "float32", [], true)
  throw new ValueError(`cannot differentiate with respect to a ${typeof x} leaf`)
}

interface Prepared {
  readonly diff: unknown
  readonly leaves: Array[]
  readonly def: TreeDef
  readonly call: (d: unknown) => unknown
  readonly single: boolean
}

const prepare = (f: (...args: never[]) => unknown, args: ReadonlyArray<unknown>, argnums: Argnums, what: string): Prepared => {
  const idx = argIndices(argnums, `${what}: argnums`, args.length)
  const diff = typeof argnums === "number" ? args[idx[0]!] : idx.map((i) => args[i])
  const [raw, def] = flatten(diff)
  const leaves = raw.map(leafArray)
  for (const l of leaves) {
    if (!isFloat(l.dtype)) throw new DTypeError(`${what} requires float inputs, got ${l.dtype}; cast with astype("float32").`)
  }
  const call = (d: unknown): unknown => {
    const full = [...args]
    if (typeof argnums === "number") full[idx[0]!] = d
    else idx.forEach((i, k) => (full[i] = (d as unknown[])[k]))
    return (f as (...a: unknown[]) => unknown)(...full)
  }
  return { diff: unflatten(def, leaves), leaves, def, call, single: typeof argnums === "number" }
}

/** Split the flat basis axis `axis` of `x` into blocks shaped like `shapes`. */
const splitAxis = (x: Array, axis: number, shapes: ReadonlyArray<ReadonlyArray<number>>, place: "front" | "back"): Array[] => {
  let off = 0
  return shapes.map((s) => {
    const n = s.reduce((a, b) => a * b, 1)
    const start = x.shape.map((_, i) => (i === axis ? off : 0))
    const limit = x.shape.map((d, i) => (i === axis ? off + n : d))
    off += n
    const part = slice(x, start, limit)
    const rest = x.shape.filter((_, i) => i !== axis)
    return reshape(part, place === "back" ? [...rest, ...s] : [...s, ...rest])
  })
}

/**
 * Forward-mode Jacobian: efficient for tall Jacobians (few inputs, many outputs).
 *
 * @example
 * jacfwd((x: Array) => np.sin(x))(np.array([0.1, 0.2], { dtype: "float32" })) // diag(cos x)
 */
export const jacfwd = <Args extends ReadonlyArray<unknown>, R, const A extends Argnums = 0>(
  f: (...args: Args) => R,
  opts: JacobianOptions<A> = {}
): ((...args: Args) => Jacobian<R, GradOf<Args, A>>) => {
  checkOptions("jacfwd", opts, JACOBIAN_KEYS)
  return (...args: Args): Jacobian<R, GradOf<Args, A>> => {
    const p = prepare(f as (...a: never[]) => unknown, args, opts.argnums ?? 0, "jacfwd")
    const sizes = p.leaves.map((l) => l.size)
    const n = sizes.reduce((a, b) => a + b, 0)
    const dtype = p.leaves[0]?.dtype ?? "float32"
    const basis = eye(n, n, { dtype })
    // Tangent i of the basis, as a tree like the differentiated arguments.
    const toTangent = (row: Array): unknown =>
      unflatten(
        p.def,
        splitAxis(
          reshape(row, [1, n]),
          1,
          p.leaves.map((l) => l.shape),
          "back"
        ).map((t) => reshape(t, t.shape.slice(1)))
      )
    const push = (row: Array): unknown => jvp((d: unknown) => p.call(d), [p.diff], [toTangent(row)] as never)[1]
    const stacked = vmap(push, { inAxes: [0], outAxes: -1 })(basis)
    const [outLeaves, outDef] = flatten(stacked)
    const blocks = outLeaves.map((o) =>
      unflatten(
        p.def,
        splitAxis(
          o as Array,
          (o as Array).ndim - 1,
          p.leaves.map((l) => l.shape),
          "back"
        )
      )
    )
    return unflatten(outDef, blocks) as Jacobian<R, GradOf<Args, A>>
  }
}

/**
 * Reverse-mode Jacobian: efficient for wide Jacobians (many inputs, few outputs).
 *
 * @example
 * const x = np.array([1, 2, 3], { dtype: "float32" })
 * jacrev((x: Array) => np.sum(x.pow(2)))(x) // 2x
 */
export const jacrev = <Args extends ReadonlyArray<unknown>, R, const A extends Argnums = 0>(
  f: (...args: Args) => R,
  opts: JacobianOptions<A> = {}
): ((...args: Args) => Jacobian<R, GradOf<Args, A>>) => reverseJacobian(f, opts, "jacrev")

/**
 * JAX's `jax.jacobian`: `jacrev` (reverse mode) under JAX's other name.
 *
 * @example
 * const x = np.array([1, 2, 3], { dtype: "float32" })
 * jacobian((x: Array) => x.pow(2))(x) // diag(2x): [[2, 0, 0], [0, 4, 0], [0, 0, 6]]
 */
export const jacobian = <Args extends ReadonlyArray<unknown>, R, const A extends Argnums = 0>(
  f: (...args: Args) => R,
  opts: JacobianOptions<A> = {}
): ((...args: Args) => Jacobian<R, GradOf<Args, A>>) => reverseJacobian(f, opts, "jacobian")

const reverseJacobian = <Args extends ReadonlyArray<unknown>, R, const A extends Argnums = 0>(
  f: (...args: Args) => R,
  opts: JacobianOptions<A>,
  what: string
): ((...args: Args) => Jacobian<R, GradOf<Args, A>>) => {
  checkOptions(what, opts, JACOBIAN_KEYS)
  return (...args: Args): Jacobian<R, GradOf<Args, A>> => {
    const p = prepare(f as (...a: never[]) => unknown, args, opts.argnums ?? 0, what)
    const [out, back] = vjp((d: unknown) => p.call(d), p.diff)
    const [outRaw, outDef] = flatten(out)
    const outs = outRaw.map(leafArray)
    const m = outs.reduce((a, o) => a + o.size, 0)
    const dtype = outs[0]?.dtype ?? "float32"
    const basis = eye(m, m, { dtype })
    const pull = (row: Array): unknown => {
      const cts = splitAxis(
        reshape(row, [1, m]),
        1,
        outs.map((o) => o.shape),
        "back"
      ).map((t) => reshape(t, t.shape.slice(1)))
      return back(unflatten(outDef, cts) as never)[0]
    }
    const stacked = vmap(pull, { inAxes: [0], outAxes: 0 })(basis)
    // stacked: the argument's structure, each leaf [m, ...in.shape]; regroup by output.
    const [inLeaves] = flatten(stacked)
    const perIn = inLeaves.map((l) =>
      splitAxis(
        l as Array,
        0,
        outs.map((o) => o.shape),
        "front"
      )
    )
    const blocks = outs.map((_, j) =>
      unflatten(
        p.def,
        perIn.map((parts) => parts[j]!)
      )
    )
    return unflatten(outDef, blocks) as Jacobian<R, GradOf<Args, A>>
  }
}

/**
 * The Hessian of a scalar function: `jacfwd(jacrev(f))`.
 *
 * @example
 * const x = np.array([1, 2, 3], { dtype: "float32" })
 * hessian((x: Array) => np.sum(x.pow(3)))(x) // diag(6x)
 */
export const hessian = <Args extends ReadonlyArray<unknown>, R, const A extends Argnums = 0>(
  f: (...args: Args) => R,
  opts: JacobianOptions<A> = {}
): ((...args: Args) => Jacobian<Jacobian<R, GradOf<Args, A>>, GradOf<Args, A>>) =>
  jacfwd(jacrev(f, checkOptions("hessian", opts, JACOBIAN_KEYS)) as (...args: Args) => Jacobian<R, GradOf<Args, A>>, opts)
