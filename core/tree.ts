/**
 * Pytrees (JAX's `jax.tree_util`): nested JS arrays, plain objects, `null`/`undefined` and
 * registered classes, with everything else as leaves. Use as a namespace:
 *
 *   import { tree } from "jaxfx"
 *   const [leaves, def] = tree.flatten({ a: 1, b: [2, 3] })   // [1, 2, 3], PyTreeDef({'a': *, 'b': [*, *]})
 *   tree.map((x) => x * 2, { a: 1, b: [2, 3] })               // { a: 2, b: [4, 6] }
 */
export {
  all,
  allLeaves,
  broadcast,
  broadcastPrefix,
  flatten,
  flattenOneLevel,
  flattenUpTo,
  flattenWithPath,
  isTreeNode,
  leaves,
  leavesWithPath,
  map,
  mapWith,
  mapWithPath,
  reduce,
  reduceAssociative,
  type ReduceAssociativeOptions,
  structure,
  transpose,
  unflatten
} from "./tree/ops.js"
export { GetAttrKey, keystr, type KeystrOptions } from "./tree/keys.js"
export { type DataclassFields, registerDataclass, registerStatic, type StaticOptions } from "./tree/dataclass.js"
export { isRegistered, type NodeClass, type NodeRegistration, registerNode } from "./tree/registry.js"
export { TreeDef } from "./tree/treedef.js"
export type { AnyFunction, FlattenOptions, KeyEntry, KeyPath, Leaf, LeafOf, LeavesOf, MapResult, TreeMapResult } from "./tree/types.js"
