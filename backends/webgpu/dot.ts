/**
 * dot_general on the GPU: a tiled matrix product with workgroup memory. Each operand is addressed
 * in place as a 3-d array, lhs [batch, M, K] and rhs [batch, K, N] (M, N the free dimensions and K
 * the contracted ones, each group flattened): a group whose dimensions are consecutive in memory is
 * one stride, any other is decoded dimension by dimension, so no transposed copy is made.
 * A workgroup of 16 x 16 invocations computes a 16 x 16 tile of the output, stepping over K in
 * tiles staged in workgroup memory; tiles past the edges read zeros (shapes need not be multiples
 * of 16); the batch is the grid's z dimension. float32 accumulates in float32; integers wrap.
 */
import type { DType } from "../../core/dtype.js"
import { DeviceError } from "../../core/errors.js"
import type { DotParams } from "../../core/primitives/dot.js"
import { rowMajorStrides } from "../../core/kernel/ir.js"
import { MAX_GROUPS } from "./codegen.js"
import type { Routine } from "./routine.js"
import { constant, convertExpr, storageType } from "./wgsl.js"

const TILE = 16

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)

/** The WGSL address offset of flat index `f` (u32) over dimensions `dims` of an operand with `shape` and `strides`. */
const groupAddr = (dims: ReadonlyArray<number>, shape: ReadonlyArray<number>, strides: ReadonlyArray<number>, f: string): string => {
  const ds = dims.filter((d) => shape[d] !== 1)
  if (ds.length === 0) return "0u"
  // consecutive in memory, in the group's order: one stride
  const flat = ds.every((d, j) => j === ds.length - 1 || strides[d] === strides[ds[j + 1]!]! * shape[ds[j + 1]!]!)
  if (flat) return `(${f} * ${strides[ds[ds.length - 1]!]}u)`
  const sizes = ds.map((d) => shape[d]!)
  const inner = rowMajorStrides(sizes)
  return `(${ds.map((d, j) => `((${f} / ${inner[j]}u) % ${sizes[j]}u) * ${strides[d]}u`).join(" + ")})`
}

const size = (dims: ReadonlyArray<number>, shape: ReadonlyArray<number>): number => dims.reduce((a, d) => a * shape[d]!, 1)

/** The WGSL of a dot_general between operands of the given shapes. */
export const dotSource = (
  xShape: ReadonlyArray<number>,
  yShape: ReadonlyArray<number>,
  p: DotParams,
  inDtype: DType,
  outDtype: DType
): { source: string; groups: [number, number, number] } => {
  const [xc, yc] = p.dimensionNumbers.contracting
  const [xb, yb] = p.dimensionNumbers.batch
  const xf = range(xShape.length).filter((d) => !xc.includes(d) && !xb.includes(d))
  const yf = range(yShape.length).filter((d) => !yc.includes(d) && !yb.includes(d))
  const xs = rowMajorStrides(xShape)
  const ys = rowMajorStrides(yShape)
  const B = size(xb, xShape)
  const M = size(xf, xShape)
  const N = size(yf, yShape)
  const K = size(xc, xShape)
  if (B > MAX_GROUPS) throw new DeviceError(`dot_general on the WebGPU device takes at most ${MAX_GROUPS} batch elements, got ${B}; split the batch.`)
  const ti = storageType(inDtype)
  const to = storageType(outDtype)
  const cv = (e: string): string => convertExpr(inDtype, outDtype, e)
  const source = `// dot_general [${B}, ${M}, ${K}] x [${B}, ${K}, ${N}]
@group(0) @binding(0) var<storage, read> x: array<${ti}>;
@group(0) @binding(1) var<storage, read> y: array<${ti}>;
@group(0) @binding(2) var<storage, read_write> out: array<${to}>;
var<workgroup> As: array<array<${to}, ${TILE}>, ${TILE}>;
var<workgroup> Bs: array<array<${to}, ${TILE}>, ${TILE}>;
fn xAddr(b: u32, m: u32, k: u32) -> u32 { return ${groupAddr(xb, xShape, xs, "b")} + ${groupAddr(xf, xShape, xs, "m")} + ${groupAddr(xc, xShape, xs, "k")}; }
fn yAddr(b: u32, k: u32, n: u32) -> u32 { return ${groupAddr(yb, yShape, ys, "b")} + ${groupAddr(yc, yShape, ys, "k")} + ${groupAddr(yf, yShape, ys, "n")}; }
@compute @workgroup_size(${TILE}, ${TILE})
fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_id) lid: vec3<u32>) {
  let b = wid.z;
  let row = wid.y * ${TILE}u + lid.y;
  let col = wid.x * ${TILE}u + lid.x;
  var acc: ${to} = ${constant(outDtype, 0)};
  for (var t = 0u; t < ${K}u; t = t + ${TILE}u) {
    let ka = t + lid.x;
    let okA = row < ${M}u && ka < ${K}u;
    As[lid.y][lid.x] = select(${constant(outDtype, 0)}, ${cv(`x[select(0u, xAddr(b, row, ka), okA)]`)}, okA);
    let kb = t + lid.y;
    let okB = kb < ${K}u && col < ${N}u;
    Bs[lid.y][lid.x] = select(${constant(outDtype, 0)}, ${cv(`y[select(0u, yAddr(b, kb, col), okB)]`)}, okB);
    workgroupBarrier();
    for (var kk = 0u; kk < ${TILE}u; kk = kk + 1u) {
      acc = acc + As[lid.y][kk] * Bs[kk][lid.x];
    }
    workgroupBarrier();
  }
  if (row < ${M}u && col < ${N}u) {
    out[(b * ${M}u + row) * ${N}u + col] = acc;
  }
}`
  return { source, groups: [Math.ceil(N / TILE), Math.ceil(M / TILE), B] }
}

export const dotGeneral: Routine = (rec, [x, y], params, [out]) => {
  const o = rec.ctx.alloc(out!.dtype, out!.size)
  if (out!.size === 0) return [o]
  const { source, groups } = dotSource(x!.aval.shape, y!.aval.shape, params as DotParams, x!.aval.dtype, out!.dtype)
  if (groups[0] > MAX_GROUPS || groups[1] > MAX_GROUPS) {
    throw new DeviceError(`dot_general on the WebGPU device: an output of ${out!.shape.join("x")} needs more than ${MAX_GROUPS} tiles along one side.`)
  }
  rec.dispatch(source, groups, [x!.buffer, y!.buffer], [o])
  return [o]
}
