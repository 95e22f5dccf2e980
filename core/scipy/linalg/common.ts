/** Small helpers of scipy.linalg. */
import type { Array } from "../../array.js"
import { sortKeyVal } from "../../primitives/bits.js"
import { iota } from "../../primitives/shape-ops.js"

/** The inverse of a permutation along the last axis (an argsort of it). */
export const argsort = (perm: Array): Array => sortKeyVal(perm, iota("int32", perm.shape, perm.ndim - 1), -1)[1]
