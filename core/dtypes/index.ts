/**
 * JAX's dtype functions, exported from `np` as in `jax.numpy`: promotion (`promoteTypes`,
 * `resultType`), casting rules (`canCast`, `issubdtype`) and machine limits (`finfo`, `iinfo`).
 */
export { type AbstractDType, canCast, type Casting, issubdtype } from "./casting.js"
export { type FInfo, type FloatDTypeName, finfo, type IInfo, iinfo, type IntDTypeName } from "./info.js"
export { promoteTypes, resultType, type ResultTypeArg } from "./lattice.js"
export type { DTypeName, WeakTypeName } from "./names.js"
export { type DTypeKind, isdtype } from "./isdtype.js"
