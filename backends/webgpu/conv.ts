/**
 * conv_general_dilated on the GPU, direct: one invocation per output element sums over its
 * group's input features and window positions, reading both operands in place through their
 * layouts (the dimension numbers), with padding and lhs-dilation holes skipped and rhs dilation
 * applied to the window offsets (XLA's semantics, as the CPU's im2col kernel,
 * backends/cpu/conv.ts). Feature groups pick the input features of the output feature's group;
 * batch groups pick the input batch. float32 accumulates in float32; integers wrap.
 */
import type { ConvParams } from "../../core/primitives/conv.js"
import { rowMajorStrides } from "../../core/kernel/ir.js"
import type { Routine } from "./routine.js"
import { dispatchThreads } from "./threads.js"
import { constant, convertExpr, storageType } from "./wgsl.js"

export const convGeneralDilated: Routine = (rec, [x, y], params, [out]) => {
  const p = params as ConvParams
  const d = out!.dtype
  const o = rec.ctx.alloc(d, out!.size)
  const { lhsSpec: ls, rhsSpec: rs, outSpec: os } = p.dimensionNumbers
  const xs = x!.aval.shape
  const ys = y!.aval.shape
  const zs = out!.shape
  const [xst, yst, zst] = [rowMajorStrides(xs), rowMajorStrides(ys), rowMajorStrides(zs)]
  const ns = xs.length - 2
  const sp = Array.from({ length: ns }, (_, k) => k + 2)
  const G = Math.max(p.featureGroupCount, p.batchGroupCount)
  const nOut = zs[os[0]!]!
  const Og = ys[rs[0]!]! / G
  const Cg = ys[rs[1]!]!
  const win = sp.map((k) => ys[rs[k]!]!)
  const KS = win.reduce((a, b) => a * b, 1)
  const winStrides = rowMajorStrides(win)
  const cv = (e: string): string => convertExpr(x!.aval.dtype, d, e)
  const coord = (axis: number): string => `((g / ${zst[axis]}u) % ${zs[axis]}u)`
  const spatial = sp
    .map((k, s) => {
      const ld = p.lhsDilation[s]!
      const pos = `i32(${coord(os[k]!)} * ${p.windowStrides[s]}u) - ${p.padding[s]![0]} + i32((w / ${winStrides[s]}u) % ${win[s]}u) * ${p.rhsDilation[s]}`
      return `      let p${s} = ${pos};
      if (p${s} < 0 || p${s} % ${ld} != 0 || p${s} / ${ld} >= ${xs[ls[k]!]}) { continue; }
      xa = xa + u32(p${s} / ${ld}) * ${xst[ls[k]!]}u;
      ya = ya + ((w / ${winStrides[s]}u) % ${win[s]}u) * ${yst[rs[k]!]}u;`
    })
    .join("\n")
  const body = `  let n = ${coord(os[0]!)};
  let f = ${coord(os[1]!)};
  let grp = f / ${Og}u;
  let xn = ${p.batchGroupCount > 1 ? `n + grp * ${nOut}u` : "n"};
  let c0 = ${p.featureGroupCount > 1 ? `grp * ${Cg}u` : "0u"};
  var acc: ${storageType(d)} = ${constant(d, 0)};
  for (var c = 0u; c < ${Cg}u; c = c + 1u) {
    for (var w = 0u; w < ${KS}u; w = w + 1u) {
      var xa = xn * ${xst[ls[0]!]}u + (c0 + c) * ${xst[ls[1]!]}u;
      var ya = f * ${yst[rs[0]!]}u + c * ${yst[rs[1]!]}u;
${spatial}
      acc = acc + ${cv("in0[xa]")} * ${cv("in1[ya]")};
    }
  }
  out0[g] = acc;`
  dispatchThreads(rec, { name: "conv_general_dilated", n: out!.size, inputs: [x!.aval.dtype, y!.aval.dtype], outputs: [d], body }, [x!.buffer, y!.buffer], [o])
  return [o]
}
