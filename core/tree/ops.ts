/**
 * The pytree operations (JAX's `jax.tree_util` / `jax.tree`): flatten, unflatten, leaves,
 * structure, map, reduce, transpose, prefix broadcasting and key paths.
 */
import { TreeError } from "../errors.js"
import { checkOptions, optionKeys } from "../options.js"
import { classify } from "./registry.js"
import type { KeyEntry } from "./keys.js"
import { flattenUpToImpl, LEAF_NODE, pathString, TreeDef, type TreeNode } from "./treedef.js"
import type { FlattenOptions, KeyPath, LeafOf, LeavesOf, TreeMapResult } from "./types.js"

interface Collector {
  readonly leaves: Array<unknown>
  readonly paths: Array<KeyPath> | undefined
}

const build = (x: unknown, isLeaf: ((x: unknown) => boolean) | undefined, out: Collector, path: Array<KeyEntry>, ancestors: Set<object>): TreeNode => {
  if (isLeaf !== undefined && isLeaf(x)) {
    out.leaves.push(x)
    out.paths?.push([...path])
    return LEAF_NODE
  }
  const c = classify(x)
  switch (c.kind) {
    case "leaf":
      out.leaves.push(x)
      out.paths?.push([...path])
      return LEAF_NODE
    case "null":
    case "undefined":
      return c
    case "array":
    case "object":
    case "custom": {
      const obj = x as object
      if (ancestors.has(obj)) {
        throw new TreeError(
          `tree.flatten: the value contains a reference cycle at ${pathString(path)}. Pytrees must be ` +
            "finite trees: a subtree may be shared, but a container cannot contain itself."
        )
      }
      ancestors.add(obj)
      const children: Array<TreeNode> = []
      const keys = c.kind === "object" ? c.keys : c.kind === "custom" && out.paths !== undefined ? c.entry.childKeys?.(c.aux) : undefined
      for (let i = 0; i < c.children.length; i++) {
        path.push(keys?.[i] ?? i)
        children.push(build(c.children[i], isLeaf, out, path, ancestors))
        path.pop()
      }
      ancestors.delete(obj)
      if (c.kind === "array") return { kind: "array", children }
      if (c.kind === "object") return { kind: "object", keys: c.keys, children }
      return { kind: "custom", entry: c.entry, aux: c.aux, children }
    }
  }
}

const FLATTEN_KEYS = optionKeys<FlattenOptions>()("isLeaf")

const flattenImpl = (x: unknown, opts: FlattenOptions | undefined, withPaths: boolean): [Collector, TreeDef] => {
  const out: Collector = { leaves: [], paths: withPaths ? [] : undefined }
  const root = build(x, opts?.isLeaf, out, [], new Set())
  return [out, new TreeDef(root)]
}

/**
 * The leaves of a tree (in order: array elements, object values by sorted key, registered
 * children) and its structure. `unflatten(def, leaves)` rebuilds the tree.
 *
 * @example
 * const [flat, def] = tree.flatten({ a: 1, b: [2, 3] }) // flat: [1, 2, 3]
 * tree.unflatten(def, [10, 20, 30]) // { a: 10, b: [20, 30] }
 */
export function flatten<T>(x: T): [Array<LeafOf<T>>, TreeDef<T>]
export function flatten(x: unknown, opts: FlattenOptions): [Array<unknown>, TreeDef]
export function flatten(x: unknown, opts?: FlattenOptions): [Array<unknown>, TreeDef] {
  checkOptions("tree.flatten", opts, FLATTEN_KEYS)
  const [out, def] = flattenImpl(x, opts, false)
  return [out.leaves, def]
}

/**
 * Like `flatten`, with the key path of every leaf (JAX's `tree_flatten_with_path`).
 *
 * @example
 * const [pairs] = tree.flattenWithPath({ a: 1, b: [2] })
 * pairs.map(([path, leaf]) => `${tree.keystr(path)}: ${String(leaf)}`) // ["['a']: 1", "['b'][0]: 2"]
 */
export const flattenWithPath = (x: unknown, opts?: FlattenOptions): [Array<readonly [KeyPath, unknown]>, TreeDef] => {
  checkOptions("tree.flattenWithPath", opts, FLATTEN_KEYS)
  const [out, def] = flattenImpl(x, opts, true)
  const paths = out.paths ?? []
  return [out.leaves.map((l, i) => [paths[i] ?? [], l] as const), def]
}

/**
 * The leaves of a tree with their key paths (JAX's `tree.leaves_with_path`).
 *
 * @example
 * tree.leavesWithPath({ a: [1, 2], b: 3 }) // [[["a", 0], 1], [["a", 1], 2], [["b"], 3]]
 */
export const leavesWithPath = (x: unknown, opts?: FlattenOptions): Array<readonly [KeyPath, unknown]> => {
  checkOptions("tree.leavesWithPath", opts, FLATTEN_KEYS)
  const out = flattenImpl(x, opts, true)[0]
  const paths = out.paths ?? []
  return out.leaves.map((l, i) => [paths[i] ?? [], l] as const)
}

/**
 * Rebuild a tree from a structure and leaves (JAX's `tree_unflatten`).
 *
 * @example
 * const def = tree.structure({ w: 0, b: 0 })
 * tree.unflatten(def, [np.ones([2]), np.zeros([2])]) // { w: Array([1., 1.]...), b: Array([0., 0.]...) }
 */
export const unflatten = <T, L>(def: TreeDef<T>, leaves: ReadonlyArray<L>): TreeMapResult<T, L> => def.unflatten(leaves) as TreeMapResult<T, L>

/**
 * The leaves of a tree, in `flatten` order.
 *
 * @example
 * tree.leaves({ a: 1, b: [2, { c: 3 }] }) // [1, 2, 3]
 */
export function leaves<T>(x: T): Array<LeafOf<T>>
export function leaves(x: unknown, opts: FlattenOptions): Array<unknown>
export function leaves(x: unknown, opts?: FlattenOptions): Array<unknown> {
  checkOptions("tree.leaves", opts, FLATTEN_KEYS)
  return flattenImpl(x, opts, false)[0].leaves
}

/**
 * The structure of a tree.
 *
 * @example
 * tree.structure({ a: 1, b: [2, 3] }).numLeaves // 3
 */
export const structure = <T>(x: T, opts?: FlattenOptions): TreeDef<T> =>
  flattenImpl(x, checkOptions("tree.structure", opts, FLATTEN_KEYS), false)[1] as TreeDef<T>

/**
 * The subtrees of `x` at the leaves of `def` (JAX's `treedef.flatten_up_to`); `x` must have the
 * structure `def` down to its leaves, else a `TreeError`.
 *
 * @example
 * const def = tree.structure({ a: 0, b: 0 })
 * tree.flattenUpTo(def, { a: [1, 2], b: 3 }) // [[1, 2], 3]
 */
export const flattenUpTo = (def: TreeDef, x: unknown): Array<unknown> => def.flattenUpTo(x)

const mapImpl = (
  f: (...leaves: ReadonlyArray<unknown>) => unknown,
  t: unknown,
  rest: ReadonlyArray<unknown>,
  opts: FlattenOptions | undefined,
  caller: string
): unknown => {
  const [out, def] = flattenImpl(t, opts, false)
  const others = rest.map((r, i) => flattenUpToImpl(def, r, caller, `the tree in argument ${i + 3}`))
  const mapped = out.leaves.map((leaf, j) => f(leaf, ...others.map((o) => o[j])))
  return def.unflatten(mapped)
}

/**
 * Apply `f` to every leaf (JAX's `tree_map`). With more trees, `f` gets the corresponding leaves of
 * each; they must have the structure of the first tree (they may hold whole subtrees where it has
 * leaves), else a `TreeError`.
 *
 * @example
 * tree.map((x) => x * 2, { a: 1, b: [2, 3] })             // { a: 2, b: [4, 6] }
 * tree.map((x, y) => x + y, [1, { c: 2 }], [10, { c: 20 }]) // [11, { c: 22 }]
 */
export const map = <T, Rest extends ReadonlyArray<unknown>, R>(
  f: (leaf: NoInfer<LeafOf<T>>, ...rest: LeavesOf<Rest>) => R,
  t: T,
  ...rest: Rest
): TreeMapResult<T, R> => mapImpl(f as (...leaves: ReadonlyArray<unknown>) => unknown, t, rest, undefined, "tree.map") as TreeMapResult<T, R>

/**
 * `map` with flatten options, e.g. `tree.mapWith({ isLeaf: (x) => x === null }, f, t)`.
 *
 * @example
 * tree.mapWith({ isLeaf: (x) => x === null }, (x) => (x === null ? 0 : x), { a: null, b: 1 }) // { a: 0, b: 1 }
 */
export const mapWith = (opts: FlattenOptions, f: (...leaves: ReadonlyArray<unknown>) => unknown, t: unknown, ...rest: ReadonlyArray<unknown>): unknown =>
  mapImpl(f, t, rest, checkOptions("tree.mapWith", opts, FLATTEN_KEYS), "tree.mapWith")

/**
 * `map` where `f` also gets the key path of each leaf (JAX's `tree_map_with_path`).
 *
 * @example
 * tree.mapWithPath((path, x: number) => `${tree.keystr(path)}=${x}`, { a: [1, 2] }) // { a: ["['a'][0]=1", "['a'][1]=2"] }
 */
export const mapWithPath = <T, R>(f: (path: KeyPath, leaf: NoInfer<LeafOf<T>>) => R, t: T, opts?: FlattenOptions): TreeMapResult<T, R> => {
  checkOptions("tree.mapWithPath", opts, FLATTEN_KEYS)
  const [out, def] = flattenImpl(t, opts, true)
  const paths = out.paths ?? []
  return def.unflatten(out.leaves.map((l, i) => f(paths[i] ?? [], l as LeafOf<T>))) as TreeMapResult<T, R>
}

/**
 * Fold the leaves from the left (JAX's `tree_reduce`).
 *
 * @example
 * tree.reduce((acc: number, x: number) => acc + x, { a: 1, b: [2, 3] }, 0) // 6
 */
export function reduce<T, A>(f: (acc: A, leaf: LeafOf<T>) => A, t: T, initial: A): A
export function reduce<T>(f: (acc: LeafOf<T>, leaf: LeafOf<T>) => LeafOf<T>, t: T): LeafOf<T>
export function reduce(f: (acc: unknown, leaf: unknown) => unknown, t: unknown, ...initial: [] | [unknown]): unknown {
  const ls = leaves(t)
  if (initial.length === 0) {
    if (ls.length === 0) {
      throw new TreeError("tree.reduce: the tree has no leaves and no initial value was given; pass an initial value.")
    }
    return ls.slice(1).reduce(f, ls[0])
  }
  return ls.reduce(f, initial[0])
}

/**
 * Whether every leaf is truthy (JAX's `tree_all`).
 *
 * @example
 * tree.all({ a: true, b: [1, 2] }) // true
 * tree.all([1, 0]) // false
 */
export const all = (t: unknown): boolean => leaves(t).every(Boolean)

/**
 * Turn a tree of structure `outer` whose leaves-subtrees have structure `inner` into a tree of
 * structure `inner` of trees of structure `outer` (JAX's `tree_transpose`).
 *
 * @example
 * const outer = tree.structure([0, 0])
 * const inner = tree.structure({ a: 0, b: 0 })
 * tree.transpose(outer, inner, [{ a: 1, b: 2 }, { a: 3, b: 4 }]) // { a: [1, 3], b: [2, 4] }
 */
export const transpose = (outer: TreeDef, inner: TreeDef, t: unknown): unknown => {
  const expected = outer.compose(inner)
  const flat = expected.flattenUpTo(t)
  const nIn = inner.numLeaves
  const nOut = outer.numLeaves
  const transposed: Array<unknown> = []
  for (let i = 0; i < nIn; i++) {
    const col: Array<unknown> = []
    for (let o = 0; o < nOut; o++) col.push(flat[o * nIn + i])
    transposed.push(outer.unflatten(col))
  }
  return inner.unflatten(transposed)
}

/**
 * Broadcast a prefix tree to a full tree (JAX's `broadcast_prefix`): every leaf of `prefix` is
 * repeated once for each leaf of the corresponding subtree of `full`. Returns one value per leaf of
 * `full`. `null`/`undefined` in the prefix count as leaves unless `opts.isLeaf` says otherwise, so
 * `vmap`'s `inAxes: [0, null]` broadcasts naturally.
 *
 * @example
 * tree.broadcastPrefix([0, null], [[1, 2], { c: 3 }]) // [0, 0, null]
 */
export const broadcastPrefix = (prefix: unknown, full: unknown, opts?: FlattenOptions): Array<unknown> => {
  checkOptions("tree.broadcastPrefix", opts, FLATTEN_KEYS)
  const isLeaf = opts?.isLeaf ?? ((x: unknown) => x === null || x === undefined)
  const [prefixLeaves, prefixDef] = flatten(prefix, { isLeaf })
  const subtrees = flattenUpToImpl(prefixDef, full, "tree.broadcastPrefix", "the full tree")
  const out: Array<unknown> = []
  subtrees.forEach((sub, i) => {
    const n = structure(sub).numLeaves
    for (let k = 0; k < n; k++) out.push(prefixLeaves[i])
  })
  return out
}

/**
 * A prefix tree broadcast to the structure of a full tree (JAX's `tree.broadcast`): every leaf of
 * `prefix` is repeated at each leaf of the corresponding subtree of `full`. `prefix` must be a prefix
 * of `full` (else a `TreeError`); `opts.isLeaf` applies to both trees.
 *
 * @example
 * tree.broadcast([1, { a: 2 }], [[5, 6], { a: [7, 8] }]) // [[1, 1], { a: [2, 2] }]
 * tree.broadcast(0, { w: [1, 2], b: 3 }) // { b: 0, w: [0, 0] }
 */
export const broadcast = (prefix: unknown, full: unknown, opts?: FlattenOptions): unknown => {
  checkOptions("tree.broadcast", opts, FLATTEN_KEYS)
  const [prefixLeaves, prefixDef] = flatten(prefix, opts ?? {})
  const subtrees = flattenUpToImpl(prefixDef, full, "tree.broadcast", "the full tree")
  const out: Array<unknown> = []
  subtrees.forEach((sub, i) => {
    const n = flattenImpl(sub, opts, false)[1].numLeaves
    for (let k = 0; k < n; k++) out.push(prefixLeaves[i])
  })
  return flattenImpl(full, opts, false)[1].unflatten(out)
}

/** Options of `reduceAssociative`. */
export interface ReduceAssociativeOptions extends FlattenOptions {
  /** The result for a tree without leaves (JAX's `identity`); without it such a tree is a `TreeError`. */
  readonly identity?: unknown
}
const REDUCE_ASSOCIATIVE_KEYS = optionKeys<ReduceAssociativeOptions>()("identity", "isLeaf")

const parallelReduce = (xs: ReadonlyArray<unknown>, f: (a: unknown, b: unknown) => unknown): unknown =>
  xs.length === 1 ? xs[0] : f(parallelReduce(xs.slice(0, xs.length >> 1), f), parallelReduce(xs.slice(xs.length >> 1), f))

/**
 * Reduce the leaves with an associative operation as a balanced tree of calls, depth log2(n) (JAX's
 * `tree.reduce_associative`: `f(f(l0, l1), f(l2, l3))`, splitting at the middle as JAX does). A tree
 * without leaves gives `opts.identity`, or a `TreeError` without one (JAX: TypeError).
 *
 * @example
 * tree.reduceAssociative((a: number, b: number) => a + b, [1, 2, 3, 4, 5]) // 15
 * tree.reduceAssociative((a: number, b: number) => a + b, [] as number[], { identity: 0 }) // 0
 */
export const reduceAssociative = <T>(f: (a: LeafOf<T>, b: LeafOf<T>) => LeafOf<T>, t: T, opts?: ReduceAssociativeOptions): LeafOf<T> => {
  checkOptions("tree.reduceAssociative", opts, REDUCE_ASSOCIATIVE_KEYS)
  const ls = flattenImpl(t, opts, false)[0].leaves
  if (ls.length === 0) {
    if (opts === undefined || !("identity" in opts)) {
      throw new TreeError("tree.reduceAssociative: the tree has no leaves; pass { identity } for the empty reduction (JAX: Must specify identity).")
    }
    return opts.identity as LeafOf<T>
  }
  return parallelReduce(ls, f as (a: unknown, b: unknown) => unknown) as LeafOf<T>
}

/**
 * Whether every element of `xs` is a leaf (JAX's `tree_util.all_leaves`): flattening the list gives
 * back exactly its elements.
 *
 * @example
 * tree.allLeaves([1, np.ones([2])]) // true
 * tree.allLeaves([1, [2]]) // false
 */
export const allLeaves = (xs: ReadonlyArray<unknown>, opts?: FlattenOptions): boolean => {
  checkOptions("tree.allLeaves", opts, FLATTEN_KEYS)
  const ls = flattenImpl(xs, opts, false)[0].leaves
  return ls.length === xs.length && ls.every((l, i) => l === xs[i])
}

/**
 * Whether `x` is a pytree node (a container: JS array, plain object, null/undefined, registered
 * class) rather than a leaf (JAX's `tree_util.is_tree_node`; `null` is a node, as `None` is).
 *
 * @example
 * tree.isTreeNode({ a: 1 }) // true
 * tree.isTreeNode(np.ones([2])) // false
 */
export const isTreeNode = (x: unknown): boolean => classify(x).kind !== "leaf"

/**
 * One level of a node: its children and its metadata (JAX's `tree_util.flatten_one_level`): the
 * sorted keys of a plain object, the auxiliary data of a registered class, `null` for a JS array,
 * null or undefined. A leaf is a `TreeError` (JAX: ValueError "can't tree-flatten type").
 *
 * @example
 * tree.flattenOneLevel({ a: [1, 2], b: { c: 3 } }) // [[[1, 2], { c: 3 }], ["a", "b"]]
 */
export const flattenOneLevel = (x: unknown): [Array<unknown>, unknown] => {
  const c = classify(x)
  switch (c.kind) {
    case "leaf":
      throw new TreeError(`tree.flattenOneLevel: can't tree-flatten a leaf (${x === null ? "null" : typeof x}); pass a container or a registered class.`)
    case "null":
    case "undefined":
      return [[], null]
    case "array":
      return [[...c.children], null]
    case "object":
      return [[...c.children], [...c.keys]]
    case "custom":
      return [[...c.children], c.aux]
  }
}
