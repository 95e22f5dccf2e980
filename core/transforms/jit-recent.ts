/**
 * jit's fast path for repeated calls. A training loop calls its jitted step with arguments of the
 * same structure and, call after call, arrays whose avals are the previous call's output avals
 * (the same objects). Matching the arguments against the last call's structure and aval objects
 * costs a walk over the tree; flattening them and building the cache key costs allocations and
 * strings, most of a small program's call time.
 */
import { ArrayImpl, type ShapedArray } from "../array.js"
import type { TreeNode } from "../tree/treedef.js"

const isEnumerable = Object.prototype.propertyIsEnumerable

/**
 * The leaves of `x` if it has exactly the structure `root` (as `tree.flatten` sees it: no custom
 * nodes) and its leaves are concrete Arrays whose avals are the very objects `avals`; else undefined.
 */
export const matchLeaves = (x: unknown, root: TreeNode, avals: ReadonlyArray<ShapedArray>): ArrayImpl[] | undefined => {
  const out: ArrayImpl[] = []
  return walk(x, root, avals, out) && out.length === avals.length ? out : undefined
}

const walk = (x: unknown, n: TreeNode, avals: ReadonlyArray<ShapedArray>, out: ArrayImpl[]): boolean => {
  switch (n.kind) {
    case "leaf":
      if (!(x instanceof ArrayImpl) || x.aval !== avals[out.length]) return false
      out.push(x)
      return true
    case "null":
      return x === null
    case "undefined":
      return x === undefined
    case "array": {
      if (!Array.isArray(x) || x.length !== n.children.length) return false
      for (let i = 0; i < x.length; i++) if (!walk(x[i], n.children[i]!, avals, out)) return false
      return true
    }
    case "object": {
      if (typeof x !== "object" || x === null) return false
      const proto: unknown = Object.getPrototypeOf(x)
      if ((proto !== Object.prototype && proto !== null) || Object.keys(x).length !== n.keys.length) return false
      const rec = x as Readonly<Record<string, unknown>>
      for (let i = 0; i < n.keys.length; i++) {
        const k = n.keys[i]!
        if (!isEnumerable.call(rec, k) || !walk(rec[k], n.children[i]!, avals, out)) return false
      }
      return true
    }
    case "custom":
      // (registered classes: their flatten function decides; take the full path)
      return false
  }
}
