/**
 * Blocks of row-major arrays: copying one rectangular block between a global array's elements and
 * the block's own (what splitting an array over devices and assembling it again are made of).
 */
import type { AnyTypedArray } from "../dtype.js"

/**
 * Copy between a global array (`shape`) and one block of it (`bshape`, starting at `start`);
 * `toBlock`: global to block, else block to global.
 */
export const copyBlock = (
  global: AnyTypedArray,
  shape: ReadonlyArray<number>,
  block: AnyTypedArray,
  bshape: ReadonlyArray<number>,
  start: ReadonlyArray<number>,
  toBlock: boolean
): void => {
  const nd = shape.length
  if (nd === 0) {
    if (toBlock) block[0] = global[0]!
    else global[0] = block[0]!
    return
  }
  const row = bshape[nd - 1]!
  if (row === 0) return
  const gstr = new globalThis.Array<number>(nd).fill(1)
  for (let i = nd - 2; i >= 0; i--) gstr[i] = gstr[i + 1]! * shape[i + 1]!
  const rows = block.length / row
  const idx = new globalThis.Array<number>(nd - 1).fill(0)
  for (let r = 0; r < rows; r++) {
    let off = start[nd - 1]!
    for (let i = 0; i < nd - 1; i++) off += (start[i]! + idx[i]!) * gstr[i]!
    if (toBlock) block.set(global.subarray(off, off + row), r * row)
    else global.set(block.subarray(r * row, (r + 1) * row), off)
    for (let i = nd - 2; i >= 0; i--) {
      if (++idx[i]! < bshape[i]!) break
      idx[i] = 0
    }
  }
}

/** A new array of the same element type as `like`, with `n` elements. */
export const sameKind = (like: AnyTypedArray, n: number): AnyTypedArray => new (like.constructor as new (n: number) => AnyTypedArray)(n)
