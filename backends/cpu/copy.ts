/**
 * Strided copies: the one data-movement loop behind broadcast_in_dim, transpose, slice, pad,
 * concatenate and rev (and the operand layouts of dot_general). Both sides have an offset and a
 * stride per dimension (negative for rev, 0 for broadcast). Dimensions are collapsed first; rows
 * that are contiguous on both sides are copied with `set`, and transposing copies are tiled
 * (32 x 32) so that both sides stay in cache.
 */
import type { AnyTypedArray, DType } from "../../core/dtype.js"
import { compile } from "./codegen.js"
import { alloc, collapse, type Shape, sizeOf, stridesOf } from "./layout.js"

type CopyFn = (
  dst: AnyTypedArray,
  dOff: number,
  dSt: ReadonlyArray<number>,
  src: AnyTypedArray,
  sOff: number,
  sSt: ReadonlyArray<number>,
  shape: ReadonlyArray<number>
) => void

const copySource = `return function copyStrided(dst, dOff, dSt, src, sOff, sSt, shape) {
  const nd = shape.length;
  const n1 = shape[nd - 1], d1 = dSt[nd - 1], s1 = sSt[nd - 1];
  const tiled = nd >= 2 && (d1 !== 1 || s1 !== 1) && n1 >= 16 && shape[nd - 2] >= 16;
  const outerNd = tiled ? nd - 2 : nd - 1;
  const n0 = tiled ? shape[nd - 2] : 1, d0 = tiled ? dSt[nd - 2] : 0, s0 = tiled ? sSt[nd - 2] : 0;
  const rows = !tiled && d1 === 1 && s1 === 1 && n1 >= 64;
  const idx = new Int32Array(outerNd + 1);
  let pd = dOff, ps = sOff;
  for (;;) {
    if (tiled) {
      for (let i0 = 0; i0 < n0; i0 += 32) {
        const i1 = Math.min(i0 + 32, n0);
        for (let j0 = 0; j0 < n1; j0 += 32) {
          const j1 = Math.min(j0 + 32, n1);
          for (let i = i0; i < i1; i++) {
            let a = pd + i * d0 + j0 * d1, b = ps + i * s0 + j0 * s1;
            for (let j = j0; j < j1; j++) { dst[a] = src[b]; a += d1; b += s1; }
          }
        }
      }
    } else if (rows) {
      dst.set(src.subarray(ps, ps + n1), pd);
    } else {
      let a = pd, b = ps;
      for (let j = 0; j < n1; j++) { dst[a] = src[b]; a += d1; b += s1; }
    }
    let d = outerNd - 1;
    for (; d >= 0; d--) {
      pd += dSt[d]; ps += sSt[d];
      if (++idx[d] < shape[d]) break;
      pd -= dSt[d] * shape[d]; ps -= sSt[d] * shape[d];
      idx[d] = 0;
    }
    if (d < 0) return;
  }
};`

const byDtype = new Map<DType, CopyFn>()
const copyFn = (dtype: DType): CopyFn => {
  let f = byDtype.get(dtype)
  if (f === undefined) {
    f = compile<CopyFn>(`copy:${dtype}`, () => copySource)
    byDtype.set(dtype, f)
  }
  return f
}

/**
 * dst[dOff + sum_d i_d * dSt[d]] = src[sOff + sum_d i_d * sSt[d]] for every index i of `shape`.
 * `dst` and `src` hold the same dtype.
 */
export const copyStrided = (
  dtype: DType,
  dst: AnyTypedArray,
  dOff: number,
  dSt: ReadonlyArray<number>,
  src: AnyTypedArray,
  sOff: number,
  sSt: ReadonlyArray<number>,
  shape: Shape
): void => {
  if (sizeOf(shape) === 0) return
  const c = collapse(shape, [dSt, sSt])
  copyFn(dtype)(dst, dOff, c.strides[0]!, src, sOff, c.strides[1]!, c.shape)
}

/** Gather a strided view of `src` into a new contiguous row-major buffer of `shape`. */
export const gatherStrided = (dtype: DType, src: AnyTypedArray, sOff: number, sSt: ReadonlyArray<number>, shape: Shape): AnyTypedArray => {
  const out = alloc(dtype, sizeOf(shape))
  copyStrided(dtype, out, 0, stridesOf(shape), src, sOff, sSt, shape)
  return out
}

/** A transposed copy: output dimension i is input dimension perm[i]. */
export const transposed = (dtype: DType, src: AnyTypedArray, shape: Shape, perm: ReadonlyArray<number>): AnyTypedArray => {
  const st = stridesOf(shape)
  return gatherStrided(
    dtype,
    src,
    0,
    perm.map((p) => st[p]!),
    perm.map((p) => shape[p]!)
  )
}
