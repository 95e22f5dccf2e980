/**
 * `TreeDef`: the structure of a pytree without its leaves (JAX's `PyTreeDef`).
 */
import { TreeError } from "../errors.js"
import { pathString, pyRepr } from "./keys.js"
import { classify, type RegistryEntry } from "./registry.js"

export { pathString, pyRepr }

/** One node of a structure (internal; reach it through `TreeDef`). */
export type TreeNode =
  | { readonly kind: "leaf" }
  | { readonly kind: "null" }
  | { readonly kind: "undefined" }
  | { readonly kind: "array"; readonly children: ReadonlyArray<TreeNode> }
  | { readonly kind: "object"; readonly keys: ReadonlyArray<string>; readonly children: ReadonlyArray<TreeNode> }
  | {
      readonly kind: "custom"
      readonly entry: RegistryEntry
      readonly aux: unknown
      readonly children: ReadonlyArray<TreeNode>
    }

export const LEAF_NODE: TreeNode = { kind: "leaf" }

const childrenOf = (n: TreeNode): ReadonlyArray<TreeNode> => (n.kind === "array" || n.kind === "object" || n.kind === "custom" ? n.children : [])

const countLeaves = (n: TreeNode): number => {
  if (n.kind === "leaf") return 1
  let c = 0
  for (const ch of childrenOf(n)) c += countLeaves(ch)
  return c
}

const countNodes = (n: TreeNode): number => {
  let c = 1
  for (const ch of childrenOf(n)) c += countNodes(ch)
  return c
}

/** Auxiliary data, printed Python-style. */
const reprAux = (x: unknown, depth = 0): string => {
  if (depth > 8) return "..."
  if (x === null || x === undefined) return "None"
  if (typeof x === "string") return pyRepr(x)
  if (typeof x === "boolean") return x ? "True" : "False"
  if (typeof x === "number" || typeof x === "bigint") return String(x)
  if (typeof x === "function") return `<function ${x.name || "<anonymous>"}>`
  if (typeof x === "symbol") return x.toString()
  if (Array.isArray(x)) return `[${x.map((e: unknown) => reprAux(e, depth + 1)).join(", ")}]`
  const proto: unknown = Object.getPrototypeOf(x)
  if (proto === Object.prototype || proto === null) {
    const rec = x as Readonly<Record<string, unknown>>
    return `{${Object.keys(rec)
      .map((k) => `${pyRepr(k)}: ${reprAux(rec[k], depth + 1)}`)
      .join(", ")}}`
  }
  return String(x)
}

const show = (n: TreeNode, forKey: boolean): string => {
  switch (n.kind) {
    case "leaf":
      return "*"
    case "null":
      return "None"
    case "undefined":
      return "undefined"
    case "array":
      return `[${n.children.map((c) => show(c, forKey)).join(", ")}]`
    case "object":
      return `{${n.keys.map((k, i) => `${pyRepr(k)}: ${show(n.children[i]!, forKey)}`).join(", ")}}`
    case "custom": {
      const name = forKey ? `${n.entry.name}#${n.entry.id}` : n.entry.name
      return `CustomNode(${name}[${reprAux(n.aux)}], [${n.children.map((c) => show(c, forKey)).join(", ")}])`
    }
  }
}

const nodeEquals = (a: TreeNode, b: TreeNode): boolean => {
  if (a === b) return true
  switch (a.kind) {
    case "leaf":
    case "null":
    case "undefined":
      return a.kind === b.kind
    case "array":
      return b.kind === "array" && childrenEqual(a.children, b.children)
    case "object":
      if (b.kind !== "object" || a.keys.length !== b.keys.length) return false
      for (let i = 0; i < a.keys.length; i++) if (a.keys[i] !== b.keys[i]) return false
      return childrenEqual(a.children, b.children)
    case "custom":
      return b.kind === "custom" && a.entry === b.entry && a.entry.auxEquals(a.aux, b.aux) && childrenEqual(a.children, b.children)
  }
}

const childrenEqual = (a: ReadonlyArray<TreeNode>, b: ReadonlyArray<TreeNode>): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (!nodeEquals(a[i]!, b[i]!)) return false
  return true
}

/** A short description of one node, for error messages. */
const describeNode = (n: TreeNode): string => {
  switch (n.kind) {
    case "leaf":
      return "a leaf"
    case "null":
      return "null"
    case "undefined":
      return "undefined"
    case "array":
      return `an array of length ${n.children.length}`
    case "object":
      return `an object with keys [${n.keys.map(pyRepr).join(", ")}]`
    case "custom":
      return `a ${n.entry.name} node with ${n.children.length} children`
  }
}

const describeValue = (x: unknown): string => {
  const c = classify(x)
  switch (c.kind) {
    case "leaf":
      return `a leaf (${typeof x === "object" ? ((x as object).constructor?.name ?? "object") : typeof x})`
    case "null":
    case "undefined":
      return c.kind
    case "array":
      return `an array of length ${c.children.length}`
    case "object":
      return `an object with keys [${c.keys.map(pyRepr).join(", ")}]`
    case "custom":
      return `a ${c.entry.name} node with ${c.children.length} children`
  }
}

/** Safe structure printing for error messages (the value may itself be malformed or cyclic). */
const showValueStructure = (x: unknown, depth = 0): string => {
  if (depth > 64) return "..."
  const c = classify(x)
  switch (c.kind) {
    case "leaf":
      return "*"
    case "null":
      return "None"
    case "undefined":
      return "undefined"
    case "array":
      return `[${c.children.map((ch) => showValueStructure(ch, depth + 1)).join(", ")}]`
    case "object":
      return `{${c.keys.map((k, i) => `${pyRepr(k)}: ${showValueStructure(c.children[i], depth + 1)}`).join(", ")}}`
    case "custom":
      return `CustomNode(${c.entry.name}[${reprAux(c.aux)}], [${c.children.map((ch) => showValueStructure(ch, depth + 1)).join(", ")}])`
  }
}

/**
 * The structure of a pytree: its nodes, with `*` where the leaves go. `T` is the type of the tree
 * it was taken from (type-level only), so `tree.unflatten(def, leaves)` gives that type back.
 *
 * @example
 * const def = tree.structure({ w: np.zeros([2]), b: 0 })
 * def.numLeaves // 2
 * def.toString() // "PyTreeDef({'b': *, 'w': *})"
 */
export class TreeDef<out T = unknown> {
  /** @internal The tree type this structure was taken from (no run-time value). */
  declare readonly treeType?: T
  /** @internal Build with `tree.structure` or `tree.flatten`. */
  constructor(readonly root: TreeNode) {
    this.numLeaves = countLeaves(root)
    this.numNodes = countNodes(root)
  }

  /** The number of leaves. */
  readonly numLeaves: number
  /** The number of nodes, leaves included. */
  readonly numNodes: number

  /** Whether the whole tree is a single leaf. */
  isLeaf(): boolean {
    return this.root.kind === "leaf"
  }

  /** The structures of the root's children (JAX's `treedef.children()`). */
  children(): Array<TreeDef> {
    return childrenOf(this.root).map((c) => new TreeDef(c))
  }

  /** Structural equality (custom nodes: same class and equal auxiliary data). */
  equals(other: TreeDef): boolean {
    return nodeEquals(this.root, other.root)
  }

  /** JAX's form: `PyTreeDef({'a': *, 'b': [*, *]})`; JS arrays print as `[...]`, null as `None`. */
  toString(): string {
    return `PyTreeDef(${show(this.root, false)})`
  }

  /**
   * A string usable as a cache key: equal structures give equal keys, and (for auxiliary data
   * that prints faithfully, e.g. JSON-like data) different structures give different keys.
   */
  cacheKey(): string {
    return show(this.root, true)
  }

  /** Build a tree of this structure from its leaves (in `flatten` order). */
  unflatten(leaves: ReadonlyArray<unknown>): unknown {
    if (leaves.length !== this.numLeaves) {
      throw new TreeError(
        `tree.unflatten: the structure ${this.toString()} has ${this.numLeaves} leaves, but ` +
          `${leaves.length} were given. Pass exactly numLeaves leaves, in the order tree.flatten ` +
          "returns them for a tree of this structure."
      )
    }
    // A single leaf (most jit results): no builder closure per call.
    if (this.root.kind === "leaf") return leaves[0]
    let i = 0
    const build = (n: TreeNode): unknown => {
      switch (n.kind) {
        case "leaf":
          return leaves[i++]
        case "null":
          return null
        case "undefined":
          return undefined
        case "array":
          return n.children.map(build)
        case "object": {
          const out: Record<string, unknown> = {}
          for (let k = 0; k < n.keys.length; k++) {
            const key = n.keys[k]!
            const value = build(n.children[k]!)
            // An own "__proto__" key (e.g. from JSON.parse) must stay a key, not set the prototype.
            if (key === "__proto__") {
              Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true })
            } else {
              out[key] = value
            }
          }
          return out
        }
        case "custom":
          return n.entry.unflatten(n.aux, n.children.map(build))
      }
    }
    return build(this.root)
  }

  /**
   * The subtrees of `x` that sit where this structure has leaves (JAX's `flatten_up_to`): `x` must
   * have this structure down to this structure's leaves, where it may hold whole subtrees.
   */
  flattenUpTo(x: unknown): Array<unknown> {
    return flattenUpToImpl(this, x, "tree.flattenUpTo", "the tree")
  }

  /** Replace every leaf of this structure by `inner` (JAX's `treedef.compose`). */
  compose(inner: TreeDef): TreeDef {
    const sub = (n: TreeNode): TreeNode => {
      switch (n.kind) {
        case "leaf":
          return inner.root
        case "null":
        case "undefined":
          return n
        case "array":
          return { kind: "array", children: n.children.map(sub) }
        case "object":
          return { kind: "object", keys: n.keys, children: n.children.map(sub) }
        case "custom":
          return { kind: "custom", entry: n.entry, aux: n.aux, children: n.children.map(sub) }
      }
    }
    return new TreeDef(sub(this.root))
  }
}

/**
 * `def.flattenUpTo(x)` with the caller's name and a description of `x` for error messages,
 * e.g. `flattenUpToImpl(def, x, "tree.map", "the tree in argument 3")`.
 */
export const flattenUpToImpl = (def: TreeDef, x: unknown, caller: string, what: string): Array<unknown> => {
  const out: Array<unknown> = []
  const path: Array<string | number> = []
  const fail = (expected: TreeNode, got: unknown, detail: string): never => {
    throw new TreeError(
      `${caller}: ${what} does not match the expected structure at ${pathString(path)}: expected ` +
        `${describeNode(expected)}, got ${describeValue(got)}${detail}.\n` +
        `  expected: ${def.toString()}\n` +
        `  got:      PyTreeDef(${showValueStructure(x)})\n` +
        "Give it the same structure (same array lengths, same object keys, same node types); it may " +
        "hold whole subtrees where the expected structure has leaves (*)."
    )
  }
  const walk = (n: TreeNode, v: unknown): void => {
    if (n.kind === "leaf") {
      out.push(v)
      return
    }
    const c = classify(v)
    switch (n.kind) {
      case "null":
      case "undefined":
        if (c.kind !== n.kind) fail(n, v, "")
        return
      case "array":
        if (c.kind !== "array" || c.children.length !== n.children.length) fail(n, v, "")
        break
      case "object":
        if (c.kind !== "object") fail(n, v, "")
        else if (c.keys.length !== n.keys.length || c.keys.some((k, i) => k !== n.keys[i])) {
          const missing = n.keys.filter((k) => !c.keys.includes(k))
          const extra = c.keys.filter((k) => !n.keys.includes(k))
          fail(
            n,
            v,
            (missing.length > 0 ? `; missing keys [${missing.map(pyRepr).join(", ")}]` : "") +
              (extra.length > 0 ? `; unexpected keys [${extra.map(pyRepr).join(", ")}]` : "")
          )
        }
        break
      case "custom":
        if (c.kind !== "custom" || c.entry !== n.entry || c.children.length !== n.children.length) {
          fail(n, v, "")
        } else if (!n.entry.auxEquals(n.aux, c.aux)) {
          fail(n, v, ` (auxiliary data ${reprAux(c.aux)} differs from ${reprAux(n.aux)})`)
        }
        break
    }
    const kids = (c as { readonly children: ReadonlyArray<unknown> }).children
    const keys = n.kind === "object" ? n.keys : undefined
    const nk = childrenOf(n)
    for (let i = 0; i < nk.length; i++) {
      path.push(keys !== undefined ? keys[i]! : i)
      walk(nk[i]!, kids[i])
      path.pop()
    }
  }
  walk(def.root, x)
  return out
}
