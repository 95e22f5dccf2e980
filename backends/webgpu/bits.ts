/**
 * Bit-level routines on the GPU, elementwise over operands that broadcast together (equal rank,
 * size-1 dimensions stretched, or rank 0): threefry2x32 (Random123's Threefry-2x32, 20 rounds, in
 * u32 arithmetic, so its bits are the CPU's exactly), the three shifts (XLA's: a shift by 32 or more
 * gives 0, or the sign for an arithmetic right shift) and bitcast_convert_type between the 32-bit
 * dtypes.
 */
import type { ShapedArray } from "../../core/array.js"
import type { DType } from "../../core/dtype.js"
import { DTypeError } from "../../core/errors.js"
import { rowMajorStrides } from "../../core/kernel/ir.js"
import type { BitcastParams } from "../../core/primitives/bits.js"
import { grid, WORKGROUP } from "./codegen.js"
import type { Routine, RoutineInput } from "./routine.js"
import { storageType } from "./wgsl.js"

/**
 * An elementwise routine: `body` computes `o0 .. o{k-1}` from `a0 ..` (values loaded from the
 * broadcast inputs) as WGSL statements.
 */
const elementwise =
  (name: string, body: (inputs: ReadonlyArray<RoutineInput>, outs: ReadonlyArray<ShapedArray>) => string, helpers = ""): Routine =>
  (rec, inputs, _params, outs) => {
    const out = outs[0]!
    const results = outs.map((o) => rec.ctx.alloc(o.dtype, o.size))
    const n = out.size
    if (n === 0) return results
    const shape = out.shape
    const strides = rowMajorStrides(shape)
    const g = grid(Math.ceil(n / WORKGROUP))
    const index = (a: ShapedArray): string => {
      if (a.size === 1) return "0u"
      const own = rowMajorStrides(a.shape)
      const terms = shape.flatMap((size, d) => (size === 1 || a.shape[d] === 1 ? [] : [`((g / ${strides[d]}u) % ${size}u) * ${own[d]}u`]))
      return terms.length === 0 ? "0u" : terms.join(" + ")
    }
    const source = [
      `// ${name}`,
      ...inputs.map((x, i) => `@group(0) @binding(${i}) var<storage, read> in${i}: array<${storageType(x.aval.dtype)}>;`),
      ...outs.map((o, j) => `@group(0) @binding(${inputs.length + j}) var<storage, read_write> out${j}: array<${storageType(o.dtype)}>;`),
      helpers,
      `@compute @workgroup_size(${WORKGROUP})`,
      "fn main(@builtin(workgroup_id) wid: vec3<u32>, @builtin(local_invocation_index) lid: u32) {",
      `  let g = ${g.flat} * ${WORKGROUP}u + lid;`,
      `  if (g >= ${n}u) { return; }`,
      ...inputs.map((x, i) => `  let a${i} = in${i}[${index(x.aval)}];`),
      `  ${body(inputs, outs)}`,
      "}"
    ].join("\n")
    rec.dispatch(
      source,
      g.groups,
      inputs.map((x) => x.buffer),
      results
    )
    return results
  }

const ROTATIONS = [13, 15, 26, 6, 17, 29, 16, 24]

const threefryBody = (): string => {
  const s: string[] = ["let ks0 = a0; let ks1 = a1; let ks2 = ks0 ^ ks1 ^ 0x1bd11bdau;", "var x0 = a2 + ks0; var x1 = a3 + ks1;"]
  const ks = ["ks0", "ks1", "ks2"]
  for (let i = 0; i < 20; i++) {
    s.push(`x0 = x0 + x1; x1 = rotl(x1, ${ROTATIONS[i % 8]}u); x1 = x1 ^ x0;`)
    if (i % 4 === 3) {
      const j = (i + 1) / 4
      s.push(`x0 = x0 + ${ks[j % 3]}; x1 = x1 + ${ks[(j + 1) % 3]} + ${j}u;`)
    }
  }
  s.push("out0[g] = x0; out1[g] = x1;")
  return s.join("\n  ")
}

export const threefry2x32 = elementwise("threefry2x32", threefryBody, "fn rotl(x: u32, r: u32) -> u32 { return (x << r) | (x >> (32u - r)); }")

const asU32 = (d: DType, v: string): string => (d === "int32" ? `bitcast<u32>(${v})` : v)
const fromU32 = (d: DType, v: string): string => (d === "int32" ? `bitcast<i32>(${v})` : v)

export const shiftLeft = elementwise("shift_left", ([x]) => {
  const d = x!.aval.dtype
  return `let b = ${asU32(d, "a1")}; out0[g] = ${fromU32(d, `select(${asU32(d, "a0")} << (b & 31u), 0u, b >= 32u)`)};`
})

export const shiftRightLogical = elementwise("shift_right_logical", ([x]) => {
  const d = x!.aval.dtype
  return `let b = ${asU32(d, "a1")}; out0[g] = ${fromU32(d, `select(${asU32(d, "a0")} >> (b & 31u), 0u, b >= 32u)`)};`
})

export const shiftRightArithmetic = elementwise("shift_right_arithmetic", ([x]) => {
  const d = x!.aval.dtype
  const signed = d === "int32" ? "a0" : "bitcast<i32>(a0)"
  const b = d === "int32" ? "bitcast<u32>(a1)" : "a1"
  const r = `select(${signed} >> (b & 31u), select(0, -1, ${signed} < 0), b >= 32u)`
  return `let b = ${b}; out0[g] = ${d === "int32" ? r : `bitcast<u32>(${r})`};`
})

export const bitcastConvertType: Routine = (rec, inputs, params, outs) => {
  const from = inputs[0]!.aval.dtype
  const to = (params as unknown as BitcastParams).newDtype
  const ok = (d: DType): boolean => d === "float32" || d === "int32" || d === "uint32"
  if (!ok(from) || !ok(to)) {
    throw new DTypeError(`bitcast_convert_type from ${from} to ${to}: the WebGPU device bitcasts between float32, int32 and uint32 only.`)
  }
  return elementwise("bitcast_convert_type", () => `out0[g] = bitcast<${storageType(to)}>(a0);`)(rec, inputs, params, outs)
}
