/**
 * Operand packing in WebAssembly SIMD, for the GEMM in `gemm.ts`: a dense operand is first copied
 * as is into linear memory (`TypedArray.set`, a memcpy), then rearranged here into the panels the
 * micro-kernel streams: panel t holds w consecutive rows (A: rows of C) or columns (B) of the
 * matrix, k-major: element (k, c) of panel t at dst + (t K + k) 4 w + 4 c (bytes), w = 4 or 8.
 *
 *   copy_w(src, ld, dst, K, T):      the w values of panel t at step k are contiguous in the source,
 *                                    at src + k ld + 4 w t (A^T for A tiles, B for B panels);
 *   transpose_w(src, ld, dst, K, T): they form a column: value c at src + (w t + c) ld + 4 k
 *                                    (A for A tiles, B^T for B panels): 4 x 4 blocks transposed
 *                                    with eight shuffles.
 *
 * Both move 16 bytes at a time and may read past the last row / column (up to w - 1 rows and 3
 * values) and write up to 3 k-steps past the last panel; callers leave slack there. Values read
 * past the matrix land only in rows / columns the GEMM computes but never stores.
 */
import { Code, encodeModule, type FuncDef, Locals, ValType } from "./encoder.js"

const { i32, v128 } = ValType

const copy = (w: number): FuncDef => {
  const V = w / 4
  const params = [i32, i32, i32, i32, i32]
  const [src, ld, dst, K, T] = [0, 1, 2, 3, 4]
  const L = new Locals(params)
  const k = L.add(i32)
  const t = L.add(i32)
  const s = L.add(i32)
  const d = L.add(i32)
  const step = L.add(i32) // bytes between panels in dst: K w 4
  const c = new Code()
  c.localGet(K)
    .i32Const(4 * w)
    .i32Mul()
    .localSet(step)
  c.loop() // k
  {
    c.localGet(src).localGet(k).localGet(ld).i32Mul().i32Add().localSet(s)
    c.localGet(dst)
      .localGet(k)
      .i32Const(4 * w)
      .i32Mul()
      .i32Add()
      .localSet(d)
    c.i32Const(0).localSet(t)
    c.loop() // t
    for (let v = 0; v < V; v++)
      c.localGet(d)
        .localGet(s)
        .v128Load(16 * v)
        .v128Store(16 * v)
    c.localGet(s)
      .i32Const(4 * w)
      .i32Add()
      .localSet(s)
    c.localGet(d).localGet(step).i32Add().localSet(d)
    c.localGet(t).i32Const(1).i32Add().localTee(t).localGet(T).i32LtU().brIf(0)
    c.end()
    c.localGet(k).i32Const(1).i32Add().localTee(k).localGet(K).i32LtU().brIf(0)
  }
  c.end()
  return { export: `copy${w}`, params, results: [], locals: L.locals, body: c }
}

const transpose = (w: number): FuncDef => {
  const G = w / 4
  const params = [i32, i32, i32, i32, i32]
  const [src, ld, dst, K, T] = [0, 1, 2, 3, 4]
  const L = new Locals(params)
  const t = L.add(i32)
  const k = L.add(i32)
  const row = L.add(i32) // first source row of the current group of 4
  const s = L.add(i32)
  const d = L.add(i32)
  const r = [L.add(v128), L.add(v128), L.add(v128), L.add(v128)]
  const q = [L.add(v128), L.add(v128), L.add(v128), L.add(v128)]
  const c = new Code()
  const lanes = (a: number, b: number, x: number, y: number): number[] => [a, b, x, y].flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]) // 32-bit lanes of (first, second) -> bytes
  // interleave low / high pairs of 32-bit lanes, then join 64-bit halves
  const lo32 = lanes(0, 4, 1, 5)
  const hi32 = lanes(2, 6, 3, 7)
  const lo64 = lanes(0, 1, 4, 5)
  const hi64 = lanes(2, 3, 6, 7)
  c.loop() // t
  for (let g = 0; g < G; g++) {
    c.localGet(t)
      .i32Const(w)
      .i32Mul()
      .i32Const(4 * g)
      .i32Add()
      .localGet(ld)
      .i32Mul()
      .localGet(src)
      .i32Add()
      .localSet(row)
    // d = dst + t K w 4 + 16 g
    c.localGet(dst)
      .localGet(t)
      .localGet(K)
      .i32Mul()
      .i32Const(4 * w)
      .i32Mul()
      .i32Add()
      .localSet(d)
    c.i32Const(0).localSet(k)
    c.loop() // k, 4 at a time
    {
      c.localGet(row).localGet(k).i32Const(4).i32Mul().i32Add().localSet(s)
      for (let i = 0; i < 4; i++) {
        c.localGet(s).v128Load(0).localSet(r[i]!)
        if (i < 3) c.localGet(s).localGet(ld).i32Add().localSet(s)
      }
      c.localGet(r[0]!).localGet(r[1]!).i8x16Shuffle(lo32).localSet(q[0]!) // r0[0] r1[0] r0[1] r1[1]
      c.localGet(r[2]!).localGet(r[3]!).i8x16Shuffle(lo32).localSet(q[1]!) // r2[0] r3[0] r2[1] r3[1]
      c.localGet(r[0]!).localGet(r[1]!).i8x16Shuffle(hi32).localSet(q[2]!) // r0[2] r1[2] r0[3] r1[3]
      c.localGet(r[2]!).localGet(r[3]!).i8x16Shuffle(hi32).localSet(q[3]!)
      const out: Array<[number, number, number[]]> = [
        [q[0]!, q[1]!, lo64],
        [q[0]!, q[1]!, hi64],
        [q[2]!, q[3]!, lo64],
        [q[2]!, q[3]!, hi64]
      ]
      out.forEach(([x, y, sh], j) =>
        c
          .localGet(d)
          .localGet(x)
          .localGet(y)
          .i8x16Shuffle(sh)
          .v128Store(j * 4 * w + 16 * g)
      )
      c.localGet(d)
        .i32Const(16 * w)
        .i32Add()
        .localSet(d)
      c.localGet(k).i32Const(4).i32Add().localTee(k).localGet(K).i32LtU().brIf(0)
    }
    c.end()
  }
  c.localGet(t).i32Const(1).i32Add().localTee(t).localGet(T).i32LtU().brIf(0)
  c.end()
  return { export: `transpose${w}`, params, results: [], locals: L.locals, body: c }
}

/** The packing module: copy4, copy8, transpose4, transpose8 on an imported memory. */
export const packModuleBytes = (memory = { module: "env", name: "memory" }): Uint8Array =>
  encodeModule({ memory: { ...memory, minPages: 1 }, functions: [copy(4), copy(8), transpose(4), transpose(8)] })

/** (src, ld, dst, K, T), addresses and ld in bytes; K, T >= 1. */
export type PackExport = (src: number, ld: number, dst: number, K: number, T: number) => void
