/**
 * conv_general_dilated: XLA's ConvGeneralDilated. The operands' and the output's layouts are
 * given by dimension numbers (each a list of axes: batch or out-feature first, then feature or
 * in-feature, then the spatial axes in order); padding is explicit (lo, hi) per spatial axis.
 * Bilinear: the jvp is the sum of two convolutions, and each operand's transpose is again a
 * convolution (the same constructions as JAX's `_conv_general_dilated_transpose_lhs/rhs`).
 */
import { type Array, ShapedArray } from "../array.js"
import type { DType } from "../dtype.js"
import { DTypeError, ShapeError, ValueError } from "../errors.js"
import { definePrimitive, UndefPrimal, Zero } from "../primitive.js"
import { checkIntList, describe, showShape } from "../shape.js"
import { bind1 } from "../trace.js"
import { range } from "./common.js"
import { add, convertElementType } from "./elementwise.js"
import { reshape, rev, transpose } from "./shape-ops.js"

/** The layouts as axis lists: lhs (batch, feature, spatial...), rhs (out feature, in feature, spatial...), out (batch, feature, spatial...). */
export interface ConvDimensionNumbers {
  readonly lhsSpec: ReadonlyArray<number>
  readonly rhsSpec: ReadonlyArray<number>
  readonly outSpec: ReadonlyArray<number>
}

export interface ConvParams {
  readonly windowStrides: ReadonlyArray<number>
  readonly padding: ReadonlyArray<readonly [number, number]>
  readonly lhsDilation: ReadonlyArray<number>
  readonly rhsDilation: ReadonlyArray<number>
  readonly dimensionNumbers: ConvDimensionNumbers
  readonly featureGroupCount: number
  readonly batchGroupCount: number
  readonly preferredElementType: DType | null
  readonly [k: string]: unknown
}

const fail = (why: string): never => {
  throw new ShapeError(`conv_general_dilated: ${why}`)
}

const checkSpec = (spec: unknown, rank: number, what: string): number[] => {
  const s = checkIntList(spec, `conv_general_dilated: dimensionNumbers.${what}`, { min: 0 })
  if (s.length !== rank) fail(`dimensionNumbers.${what} ${describe(spec)} must list all ${rank} axes of the operand once.`)
  if (new Set(s).size !== rank || s.some((d) => d >= rank)) fail(`dimensionNumbers.${what} ${describe(spec)} must be a permutation of 0..${rank - 1}.`)
  return s
}

/** Size of a dimension after inserting `d - 1` holes between elements. */
export const dilateDim = (n: number, d: number): number => (n === 0 ? 0 : 1 + d * (n - 1))

/** The output shape (in the out layout), after validating everything; also the per-spatial output sizes. */
const convShape = (lhs: ShapedArray, rhs: ShapedArray, p: ConvParams): number[] => {
  const rank = lhs.ndim
  if (rank < 2) fail(`the lhs needs a batch and a feature axis, got shape ${showShape(lhs.shape)}.`)
  if (rhs.ndim !== rank) fail(`lhs and rhs must have one rank, got shapes ${showShape(lhs.shape)} and ${showShape(rhs.shape)}.`)
  const dn = p.dimensionNumbers
  if (typeof dn !== "object" || dn === null) fail(`dimensionNumbers must be { lhsSpec, rhsSpec, outSpec }, got ${describe(dn)}.`)
  const ls = checkSpec(dn.lhsSpec, rank, "lhsSpec")
  const rs = checkSpec(dn.rhsSpec, rank, "rhsSpec")
  const os = checkSpec(dn.outSpec, rank, "outSpec")
  const ns = rank - 2
  const strides = checkIntList(p.windowStrides, "conv_general_dilated: windowStrides", { min: 1, length: ns })
  const ld = checkIntList(p.lhsDilation, "conv_general_dilated: lhsDilation", { min: 1, length: ns })
  const rd = checkIntList(p.rhsDilation, "conv_general_dilated: rhsDilation", { min: 1, length: ns })
  if (!globalThis.Array.isArray(p.padding) || p.padding.length !== ns) {
    fail(`padding must be ${ns} (lo, hi) pairs, one per spatial axis, got ${describe(p.padding)}.`)
  }
  const pads = p.padding.map((q, i) => checkIntList(q, `conv_general_dilated: padding[${i}]`, { length: 2 }))
  const fgc = p.featureGroupCount
  const bgc = p.batchGroupCount
  if (!Number.isSafeInteger(fgc) || fgc < 1) fail(`featureGroupCount must be a positive integer, got ${describe(fgc)}.`)
  if (!Number.isSafeInteger(bgc) || bgc < 1) fail(`batchGroupCount must be a positive integer, got ${describe(bgc)}.`)
  if (fgc > 1 && bgc > 1) fail(`featureGroupCount (${fgc}) and batchGroupCount (${bgc}) cannot both exceed 1.`)
  const n = lhs.shape[ls[0]!]!
  const c = lhs.shape[ls[1]!]!
  const o = rhs.shape[rs[0]!]!
  const i = rhs.shape[rs[1]!]!
  if (c % fgc !== 0) fail(`the lhs feature size ${c} is not a multiple of featureGroupCount ${fgc}.`)
  if (c / fgc !== i) fail(`the rhs in-feature size ${i} must equal the lhs feature size ${c} / featureGroupCount ${fgc} = ${c / fgc}.`)
  if (o % fgc !== 0) fail(`the rhs out-feature size ${o} is not a multiple of featureGroupCount ${fgc}.`)
  if (n % bgc !== 0) fail(`the lhs batch size ${n} is not a multiple of batchGroupCount ${bgc}.`)
  if (o % bgc !== 0) fail(`the rhs out-feature size ${o} is not a multiple of batchGroupCount ${bgc}.`)
  const outSpatial = range(ns).map((k) => {
    const inD = dilateDim(lhs.shape[ls[k + 2]!]!, ld[k]!) + pads[k]![0]! + pads[k]![1]!
    const win = dilateDim(rhs.shape[rs[k + 2]!]!, rd[k]!)
    const span = inD - win
    return span < 0 || inD === 0 ? 0 : Math.floor(span / strides[k]!) + 1
  })
  const out = new globalThis.Array<number>(rank)
  out[os[0]!] = n / bgc
  out[os[1]!] = o
  outSpatial.forEach((s, k) => (out[os[k + 2]!] = s))
  return out
}

const floatOrInt = new Set<unknown>(["float32", "float64", "int32", "uint32"])

export const convGeneralDilatedP = definePrimitive<ConvParams>("conv_general_dilated", ([lhs, rhs], p) => {
  if (lhs!.dtype !== rhs!.dtype)
    throw new DTypeError(`conv_general_dilated needs operands of one dtype, got ${lhs!.dtype} and ${rhs!.dtype}; cast one with astype.`)
  if (lhs!.dtype === "bool") throw new DTypeError("conv_general_dilated does not take bool operands; cast with astype first.")
  const pet = p.preferredElementType
  if (pet !== null && !floatOrInt.has(pet))
    throw new DTypeError(`conv_general_dilated: preferredElementType must be a numeric dtype or null, got ${describe(pet)}.`)
  if (pet !== null && pet !== lhs!.dtype && !(pet === "float64" || (pet === "float32" && lhs!.dtype !== "float64"))) {
    throw new DTypeError(`conv_general_dilated: preferredElementType ${pet} would narrow ${lhs!.dtype} operands; use ${lhs!.dtype} or a wider float dtype.`)
  }
  const shape = convShape(lhs!, rhs!, p)
  return [new ShapedArray(shape, pet ?? lhs!.dtype, pet === null && lhs!.weakType && rhs!.weakType)]
})
convGeneralDilatedP.printParams = (p) => [
  ["window_strides", `(${p.windowStrides.join(", ")})`],
  ["padding", `(${p.padding.map(([a, b]) => `(${a}, ${b})`).join(", ")})`],
  ["lhs_dilation", `(${p.lhsDilation.join(", ")})`],
  ["rhs_dilation", `(${p.rhsDilation.join(", ")})`],
  [
    "dimension_numbers",
    `ConvDimensionNumbers(lhs_spec=(${p.dimensionNumbers.lhsSpec.join(", ")}), rhs_spec=(${p.dimensionNumbers.rhsSpec.join(", ")}), out_spec=(${p.dimensionNumbers.outSpec.join(", ")}))`
  ],
  ["feature_group_count", String(p.featureGroupCount)],
  ["batch_group_count", String(p.batchGroupCount)],
  ["precision", "None"],
  ["preferred_element_type", p.preferredElementType ?? "None"]
]

/** Bind the primitive with normalized params (lax/conv.ts builds them from the public options). */
export const convGeneralDilatedRaw = (lhs: Array, rhs: Array, params: ConvParams): Array => bind1(convGeneralDilatedP, [lhs, rhs], params)

convGeneralDilatedP.jvp = ([x, y], [tx, ty], p) => [
  [convGeneralDilatedRaw(x!, y!, p)],
  [add(convGeneralDilatedRaw(tx!, y!, p), convGeneralDilatedRaw(x!, ty!, p))]
]

// ---------------------------------------------------------------------------------------------
// Axis reshapes shared by the transpose and batching rules (JAX's _reshape_axis_out_of/_into).

/** Split axis `src` into (size1, rest), size1 major. */
export const reshapeAxisOutOf = (src: number, size1: number, x: Array): Array => {
  const shape = [...x.shape]
  shape.splice(src, 1, size1, shape[src]! / size1)
  return reshape(x, shape)
}

/** Merge axis `src` into axis `dst` (numbered after removing `src`), `src` major. */
export const reshapeAxisInto = (src: number, dst: number, x: Array): Array => {
  const perm = range(x.ndim).filter((i) => i !== src)
  perm.splice(dst, 0, src)
  const shape = x.shape.filter((_, i) => i !== src)
  shape[dst] = shape[dst]! * x.shape[src]!
  return reshape(transpose(x, perm), shape)
}

const swap01 = (s: ReadonlyArray<number>): number[] => [s[1]!, s[0]!, ...s.slice(2)]
const spatial = (s: ReadonlyArray<number>): number[] => s.slice(2)
const take = (shape: ReadonlyArray<number>, axes: ReadonlyArray<number>): number[] => axes.map((a) => shape[a]!)

const transposeLhs = (g: Array, lhsAval: ShapedArray, rhs0: Array, p: ConvParams): Array => {
  const { lhsSpec, rhsSpec, outSpec } = p.dimensionNumbers
  let rhs = rhs0
  let fgc = p.featureGroupCount
  const bgc = p.batchGroupCount
  if (fgc > 1) {
    rhs = reshapeAxisInto(rhsSpec[0]!, rhsSpec[1]!, reshapeAxisOutOf(rhsSpec[0]!, fgc, rhs))
  } else if (bgc > 1) {
    rhs = reshapeAxisInto(rhsSpec[0]!, rhsSpec[1]!, reshapeAxisOutOf(rhsSpec[0]!, bgc, rhs))
    fgc = bgc
  }
  const inShape = take(lhsAval.shape, spatial(lhsSpec))
  const win = take(rhs.shape, spatial(rhsSpec))
  const outShape = take(g.shape, spatial(outSpec))
  const padding = inShape.map((n, k): readonly [number, number] => {
    const lhsD = dilateDim(n, p.lhsDilation[k]!)
    const rhsD = dilateDim(win[k]!, p.rhsDilation[k]!)
    const outD = dilateDim(outShape[k]!, p.windowStrides[k]!)
    const before = rhsD - p.padding[k]![0] - 1
    return [before, lhsD + rhsD - 1 - outD - before]
  })
  let out = convGeneralDilatedRaw(g, rev(rhs, spatial(rhsSpec)), {
    windowStrides: p.lhsDilation,
    padding,
    lhsDilation: p.windowStrides,
    rhsDilation: p.rhsDilation,
    dimensionNumbers: { lhsSpec: outSpec, rhsSpec: swap01(rhsSpec), outSpec: lhsSpec },
    featureGroupCount: fgc,
    batchGroupCount: 1,
    preferredElementType: null
  })
  if (bgc > 1) out = reshapeAxisInto(lhsSpec[1]!, lhsSpec[0]!, reshapeAxisOutOf(lhsSpec[1]!, bgc, out))
  return out
}

const transposeRhs = (g: Array, lhs: Array, rhsAval: ShapedArray, p: ConvParams): Array => {
  const { lhsSpec, rhsSpec, outSpec } = p.dimensionNumbers
  let fgc = p.featureGroupCount
  let bgc = p.batchGroupCount
  if (bgc > 1) {
    fgc = bgc
    bgc = 1
  } else if (fgc > 1) {
    bgc = fgc
    fgc = 1
  }
  const inShape = take(lhs.shape, spatial(lhsSpec))
  const win = take(rhsAval.shape, spatial(rhsSpec))
  const outShape = take(g.shape, spatial(outSpec))
  const padding = inShape.map((n, k): readonly [number, number] => {
    const lhsD = dilateDim(n, p.lhsDilation[k]!)
    const rhsD = dilateDim(win[k]!, p.rhsDilation[k]!)
    const outD = dilateDim(outShape[k]!, p.windowStrides[k]!)
    const lo = p.padding[k]![0]
    return [lo, outD - lhsD + (rhsD - lo - 1)]
  })
  return convGeneralDilatedRaw(lhs, g, {
    windowStrides: p.rhsDilation,
    padding,
    lhsDilation: p.lhsDilation,
    rhsDilation: p.windowStrides,
    dimensionNumbers: { lhsSpec: swap01(lhsSpec), rhsSpec: swap01(outSpec), outSpec: swap01(rhsSpec) },
    featureGroupCount: fgc,
    batchGroupCount: bgc,
    preferredElementType: null
  })
}

convGeneralDilatedP.transpose = ([ct], [x, y], p) => {
  const xu = x instanceof UndefPrimal
  const yu = y instanceof UndefPrimal
  if (xu && yu) throw new ValueError("conv_general_dilated is linear in one operand at a time; both were undefined in its transpose.")
  if (ct instanceof Zero) return [xu ? new Zero(x.aval) : null, yu ? new Zero(y.aval) : null]
  if (xu) {
    const g = ct!.dtype === x.aval.dtype ? ct! : convertElementType(ct!, x.aval.dtype)
    if (g.size === 0 || x.aval.size === 0) return [new Zero(x.aval), null]
    return [transposeLhs(g, x.aval, y as Array, p), null]
  }
  if (yu) {
    const g = ct!.dtype === y.aval.dtype ? ct! : convertElementType(ct!, y.aval.dtype)
    if (g.size === 0 || y.aval.size === 0) return [null, new Zero(y.aval)]
    return [null, transposeRhs(g, x as Array, y.aval, p)]
  }
  return [null, null]
}

// ---------------------------------------------------------------------------------------------
// Batching: fold the vmapped axis into the batch axis, the out-feature axis or the groups.

convGeneralDilatedP.batch = ([lhs, rhs], [ld = null, rd = null], p) => {
  const { lhsSpec, rhsSpec, outSpec } = p.dimensionNumbers
  let fgc = p.featureGroupCount
  let bgc = p.batchGroupCount
  const conv = (a: Array, b: Array): Array => convGeneralDilatedRaw(a, b, { ...p, featureGroupCount: fgc, batchGroupCount: bgc })
  if (ld !== null && rd !== null) {
    const size = lhs!.shape[ld]!
    let newLhs: Array
    if (bgc > 1) {
      newLhs = reshapeAxisInto(ld, lhsSpec[0]!, lhs!)
      bgc *= size
    } else {
      newLhs = reshapeAxisInto(ld, lhsSpec[1]!, lhs!)
      fgc *= size
    }
    const newRhs = reshapeAxisInto(rd, rhsSpec[0]!, rhs!)
    return [[reshapeAxisOutOf(outSpec[1]!, size, conv(newLhs, newRhs))], [outSpec[1]!]]
  }
  if (ld !== null) {
    const size = lhs!.shape[ld]!
    if (bgc === 1) {
      const out = conv(reshapeAxisInto(ld, lhsSpec[0]!, lhs!), rhs!)
      return [[reshapeAxisOutOf(outSpec[0]!, size, out)], [outSpec[0]!]]
    }
    let nl = reshapeAxisOutOf(lhsSpec[0]! + (ld <= lhsSpec[0]! ? 1 : 0), bgc, lhs!)
    nl = reshapeAxisInto(ld + (lhsSpec[0]! < ld ? 1 : 0), lhsSpec[0]! + 1, nl)
    nl = reshapeAxisInto(lhsSpec[0]!, lhsSpec[0]!, nl)
    return [[reshapeAxisOutOf(outSpec[0]!, size, conv(nl, rhs!))], [outSpec[0]!]]
  }
  const size = rhs!.shape[rd!]!
  if (fgc === 1 && bgc === 1) {
    const out = conv(lhs!, reshapeAxisInto(rd!, rhsSpec[0]!, rhs!))
    return [[reshapeAxisOutOf(outSpec[1]!, size, out)], [outSpec[1]!]]
  }
  const groups = fgc > 1 ? fgc : bgc
  let nr = reshapeAxisOutOf(rhsSpec[0]! + (rd! <= rhsSpec[0]! ? 1 : 0), groups, rhs!)
  nr = reshapeAxisInto(rd! + (rhsSpec[0]! < rd! ? 1 : 0), rhsSpec[0]! + 1, nr)
  nr = reshapeAxisInto(rhsSpec[0]!, rhsSpec[0]!, nr)
  let out = conv(lhs!, nr)
  out = reshapeAxisOutOf(outSpec[1]!, groups, out)
  out = reshapeAxisOutOf(outSpec[1]! + 1, size, out)
  out = reshapeAxisInto(outSpec[1]!, outSpec[1]! + 1, out)
  return [[out], [outSpec[1]!]]
}
