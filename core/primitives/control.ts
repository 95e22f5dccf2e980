/**
 * Control flow as primitives carrying sub-programs: `cond` (cond and switch), `while`, and `scan`
 * (also forILoop with a static trip count). Each runs eagerly, stages into jaxprs, and has jvp and
 * partial-evaluation rules; `cond` and `scan` transpose, so reverse mode works through them.
 * Reverse mode through `while` (a dynamic trip count) is refused with a clear error, as in JAX.
 */
import { type Array, ShapedArray } from "../array.js"
import { ShapeError, ValueError } from "../errors.js"
import { evalJaxpr, Jaxpr } from "../ir.js"
import { jvpFlat } from "../interpreters/jvp.js"
import { partialEvalJaxpr } from "../interpreters/partial-eval.js"
import { traceToJaxpr } from "../interpreters/stage.js"
import { backwardPassWith } from "../interpreters/transpose.js"
import { definePrimitive, type Primitive, UndefPrimal, Zero } from "../primitive.js"
import { checkDim, checkFlag, showShape } from "../shape.js"
import { bind } from "../trace.js"
import { constant, instantiate } from "./common.js"
import { callJit, checkCount, checkProgram, hoistConsts } from "./call.js"
import { add, convertElementType, max, min, selectNP } from "./elementwise.js"
import { reduceMax } from "./reduce.js"
import { batchFirst, batchJaxpr, moveBatchAxis } from "../interpreters/batch.js"
import { concatenate, reshape, slice } from "./shape-ops.js"

// ---------------------------------------------------------------------------------------------
// Helpers on programs

/** Trace `f` over avals into a program whose captured constants are leading inputs. */
export const traceProgram = (
  avals: ReadonlyArray<ShapedArray>,
  f: (xs: ReadonlyArray<Array>) => ReadonlyArray<Array>
): { readonly jaxpr: Jaxpr; readonly consts: ReadonlyArray<Array> } => {
  const [closed] = traceToJaxpr(avals, (xs) => [f(xs), undefined])
  return hoistConsts(closed.jaxpr, closed.consts)
}

const avalsOf = (xs: ReadonlyArray<{ readonly aval: ShapedArray }>): ShapedArray[] => xs.map((x) => x.aval)
const sameAval = (a: ShapedArray, b: ShapedArray): boolean => a.dtype === b.dtype && a.shape.join(",") === b.shape.join(",")
const zerosFor = (a: ShapedArray): Array => constant(0, a.dtype, a.shape)
const tangentAval = (a: ShapedArray): ShapedArray => a.strongType()
const ct = (x: Array | Zero): Array => instantiate(x)

/** Run a sub-program on concrete inputs, compiled once per program. */
const run = (jaxpr: Jaxpr, args: ReadonlyArray<Array>): ReadonlyArray<Array> => callJit(jaxpr, "body", args)

/** The outputs of `evalJaxpr` with symbolic zero tangents instantiated. */
const jvpOfProgram = (jaxpr: Jaxpr, primals: ReadonlyArray<Array>, tangents: ReadonlyArray<Array>): [Array[], Array[]] => {
  const [ps, ts] = jvpFlat((xs) => evalJaxpr(jaxpr, [], xs), primals, tangents)
  return [ps, ts.map((t) => (t instanceof Zero ? zerosFor(t.aval.strongType()) : t))]
}

// ---------------------------------------------------------------------------------------------
// cond: inputs [index, consts of branch 0, ..., consts of branch k-1, ...operands]

export interface CondParams {
  /** Each branch takes its own consts, then the shared operands. */
  readonly branches: ReadonlyArray<Jaxpr>
  readonly constCounts: ReadonlyArray<number>
  readonly [k: string]: unknown
}

const condOperandStart = (p: CondParams): number => 1 + p.constCounts.reduce((a, b) => a + b, 0)
const branchArgs = <A>(args: ReadonlyArray<A>, p: CondParams, i: number): A[] => {
  let off = 1
  for (let j = 0; j < i; j++) off += p.constCounts[j]!
  return [...args.slice(off, off + p.constCounts[i]!), ...args.slice(condOperandStart(p))]
}

export const condP = definePrimitive<CondParams>(
  "cond",
  (avals, p) => {
    const idx = avals[0]
    if (idx === undefined || idx.ndim !== 0 || (idx.dtype !== "int32" && idx.dtype !== "bool")) {
      throw new ValueError(`cond/switch needs a scalar int32 index or bool predicate, got ${idx === undefined ? "nothing" : idx.str()}`)
    }
    const { branches, constCounts } = p
    if (!globalThis.Array.isArray(branches) || branches.length === 0 || !globalThis.Array.isArray(constCounts) || constCounts.length !== branches.length) {
      throw new ValueError("cond: the params need one or more branches and one const count per branch.")
    }
    let total = 1
    for (const c of constCounts) total += checkCount(c, avals.length, "cond: constCounts")
    if (total > avals.length) throw new ValueError(`cond: the branches' ${total - 1} consts are more than the ${avals.length - 1} inputs after the index.`)
    const outs = branches.map((b: unknown, i) => checkProgram(`cond branch ${i}`, b, branchArgs(avals, p, i)))
    outs.forEach((o, i) => {
      if (o.length !== outs[0]!.length || o.some((a, k) => !sameAval(a, outs[0]![k]!))) {
        throw new ShapeError(
          `cond: branch ${i} returns (${o.map((a) => a.str()).join(", ")}) but branch 0 returns (${outs[0]!.map((a) => a.str()).join(", ")}); every branch must return the same types.`
        )
      }
    })
    return outs[0]!
  },
  true
)
condP.printParams = ({ branches }) => [["branches", branches]]

condP.jvp = (primals, tangents, p) => {
  // Each new branch: [its jvp consts, its consts, their tangents, operands, operand tangents].
  const start = condOperandStart(p)
  const ops = primals.slice(start)
  const dops = tangents.slice(start)
  const branches: Jaxpr[] = []
  const constArgs: Array[] = []
  const counts: number[] = []
  p.branches.forEach((b, i) => {
    const nc = p.constCounts[i]!
    const cs = branchArgs(primals, p, i).slice(0, nc)
    const dcs = branchArgs(tangents, p, i).slice(0, nc)
    const prog = traceProgram([...avalsOf(cs), ...avalsOf(dcs).map(tangentAval), ...avalsOf(ops), ...avalsOf(dops).map(tangentAval)], (xs) => {
      const c = xs.slice(0, nc)
      const dc = xs.slice(nc, 2 * nc)
      const o = xs.slice(2 * nc, 2 * nc + ops.length)
      const d = xs.slice(2 * nc + ops.length)
      const [outs, touts] = jvpOfProgram(b, [...c, ...o], [...dc, ...d])
      return [...outs, ...touts]
    })
    branches.push(prog.jaxpr)
    constArgs.push(...prog.consts, ...cs, ...dcs)
    counts.push(prog.consts.length + 2 * nc)
  })
  const outs = bind(condP, [primals[0]!, ...constArgs, ...ops, ...dops], { branches, constCounts: counts })
  const n = p.branches[0]!.outs.length
  return [outs.slice(0, n), outs.slice(n)]
}

condP.partialEval = (args, known, p, stage) => {
  if (!known[0]) return stage(condP as unknown as Primitive, args, p)
  const start = condOperandStart(p)
  const opKnown = known.slice(start)
  const branchKnown = (i: number): boolean[] => {
    let off = 1
    for (let j = 0; j < i; j++) off += p.constCounts[j]!
    return [...known.slice(off, off + p.constCounts[i]!), ...opKnown]
  }
  // The unknown outputs are the union over branches; split every branch with that status.
  let outUnknown = p.branches[0]!.outs.map(() => false)
  for (let i = 0; i < p.branches.length; i++) {
    const pe = partialEvalJaxpr(
      p.branches[i]!,
      branchKnown(i).map((k) => !k)
    )
    outUnknown = outUnknown.map((u, j) => u || pe.outUnknown[j]!)
  }
  const splits = p.branches.map((b, i) =>
    partialEvalJaxpr(
      b,
      branchKnown(i).map((k) => !k),
      outUnknown
    )
  )
  const resAvals = splits.map((s) => s.known.outs.slice(s.known.outs.length - s.numResiduals).map((o) => o.aval))
  const allRes = resAvals.flat()
  const knownOps = args.slice(start).filter((_, j) => opKnown[j])
  const unknownOps = args.slice(start).filter((_, j) => !opKnown[j])

  // Known cond: each branch outputs its known outputs, then every branch's residual slots (zeros
  // in the slots of other branches).
  const knownBranches: Jaxpr[] = []
  const knownConstArgs: Array[] = []
  const knownCounts: number[] = []
  const unknownBranches: Jaxpr[] = []
  const unknownConstArgs: Array[] = []
  const unknownCounts: number[] = []
  splits.forEach((s, i) => {
    const nc = p.constCounts[i]!
    const ck = branchKnown(i).slice(0, nc)
    const cs = branchArgs(args, p, i).slice(0, nc)
    const kcs = cs.filter((_, j) => ck[j])
    const ucs = cs.filter((_, j) => !ck[j])
    const nKnownOut = s.known.outs.length - s.numResiduals
    const kprog = traceProgram([...avalsOf(s.knownConsts), ...avalsOf(kcs), ...avalsOf(knownOps)], (xs) => {
      const outs = evalJaxpr(s.known, [], xs)
      const mine = outs.slice(nKnownOut)
      const slots = resAvals.flatMap((avs, j) => (j === i ? mine : avs.map(zerosFor)))
      return [...outs.slice(0, nKnownOut), ...slots]
    })
    knownBranches.push(kprog.jaxpr)
    knownConstArgs.push(...kprog.consts, ...s.knownConsts, ...kcs)
    knownCounts.push(kprog.consts.length + s.knownConsts.length + kcs.length)
    // Unknown branch: [its unknown consts, all residual slots, unknown operands].
    let off = 0
    for (let j = 0; j < i; j++) off += resAvals[j]!.length
    const uprog = traceProgram([...avalsOf(ucs), ...allRes, ...avalsOf(unknownOps)], (xs) => {
      const uc = xs.slice(0, ucs.length)
      const res = xs.slice(ucs.length + off, ucs.length + off + s.numResiduals)
      const uo = xs.slice(ucs.length + allRes.length)
      return evalJaxpr(s.unknown, [], [...res, ...uc, ...uo])
    })
    unknownBranches.push(uprog.jaxpr)
    unknownConstArgs.push(...uprog.consts, ...ucs)
    unknownCounts.push(uprog.consts.length + ucs.length)
  })
  const knownOuts = bind(condP, [args[0]!, ...knownConstArgs, ...knownOps], { branches: knownBranches, constCounts: knownCounts })
  const nKnown = outUnknown.filter((u) => !u).length
  const residuals = knownOuts.slice(nKnown)
  const unknownOuts = stage(condP as unknown as Primitive, [args[0]!, ...unknownConstArgs, ...residuals, ...unknownOps], {
    branches: unknownBranches,
    constCounts: unknownCounts
  })
  let ki = 0
  let ui = 0
  return outUnknown.map((u) => (u ? unknownOuts[ui++]! : knownOuts[ki++]!))
}

condP.transpose = (cts, args, p) => {
  const idx = args[0]
  if (idx instanceof UndefPrimal) throw new ValueError("cond is not linear in its index")
  const ctArrays = cts.map(ct)
  const start = condOperandStart(p)
  const linIdx = args.flatMap((a, i) => (a instanceof UndefPrimal ? [i] : []))
  const ops = args.slice(start)
  const nonlinOps = ops.filter((a) => !(a instanceof UndefPrimal)) as Array[]
  const branches: Jaxpr[] = []
  const constArgs: Array[] = []
  const counts: number[] = []
  p.branches.forEach((b, i) => {
    let off = 1
    for (let j = 0; j < i; j++) off += p.constCounts[j]!
    const nc = p.constCounts[i]!
    const cs = args.slice(off, off + nc)
    const nonlinCs = cs.filter((a) => !(a instanceof UndefPrimal)) as Array[]
    const prog = traceProgram([...avalsOf(nonlinCs), ...avalsOf(nonlinOps), ...avalsOf(ctArrays)], (xs) => {
      let k = 0
      const full = [...cs, ...ops].map((a) => (a instanceof UndefPrimal ? a : xs[k++]!))
      const inCts = backwardPassWith(b, [], full, xs.slice(k))
      // One cotangent per linear input of the whole cond; zeros for other branches' consts.
      return linIdx.map((gi) => {
        if (gi >= start) return ct(inCts[nc + gi - start]!)
        if (gi >= off && gi < off + nc) return ct(inCts[gi - off]!)
        return zerosFor((args[gi] as UndefPrimal).aval)
      })
    })
    branches.push(prog.jaxpr)
    constArgs.push(...prog.consts, ...nonlinCs)
    counts.push(prog.consts.length + nonlinCs.length)
  })
  const outs = bind(condP, [idx!, ...constArgs, ...nonlinOps, ...ctArrays], { branches, constCounts: counts })
  const result: (Array | null)[] = args.map(() => null)
  linIdx.forEach((gi, k) => (result[gi] = outs[k]!))
  return result
}

// ---------------------------------------------------------------------------------------------
// while: inputs [cond consts, body consts, carry]

export interface WhileParams {
  readonly condJaxpr: Jaxpr
  readonly bodyJaxpr: Jaxpr
  readonly condNconsts: number
  readonly bodyNconsts: number
  readonly [k: string]: unknown
}

export const whileP = definePrimitive<WhileParams>(
  "while",
  (avals, p) => {
    const nc = checkCount(p.condNconsts, avals.length, "while: condNconsts")
    const nb = checkCount(p.bodyNconsts, avals.length - nc, "while: bodyNconsts")
    const carry = avals.slice(nc + nb)
    const pred = checkProgram("while: the condition", p.condJaxpr, [...avals.slice(0, nc), ...carry])
    if (pred.length !== 1 || pred[0]!.ndim !== 0 || pred[0]!.dtype !== "bool") {
      throw new ShapeError(`whileLoop: the condition must return one bool scalar, got (${pred.map((a) => a.str()).join(", ")})`)
    }
    const body = checkProgram("while: the body", p.bodyJaxpr, [...avals.slice(nc, nc + nb), ...carry])
    if (body.length !== carry.length) throw new ShapeError(`whileLoop: the body returns ${body.length} values for a carry of ${carry.length}`)
    p.bodyJaxpr.outs.forEach((o, i) => {
      if (!sameAval(o.aval, carry[i]!)) {
        throw new ShapeError(`whileLoop: the body must return the carry's types; carry ${i} is ${carry[i]!.str()} but the body returns ${o.aval.str()}`)
      }
    })
    return carry
  },
  true
)
whileP.printParams = (p) => [
  ["body_jaxpr", p.bodyJaxpr],
  ["body_nconsts", String(p.bodyNconsts)],
  ["cond_jaxpr", p.condJaxpr],
  ["cond_nconsts", String(p.condNconsts)]
]

whileP.jvp = (primals, tangents, p) => {
  // Carry (primal, tangent) through the loop; the predicate sees only primals.
  const nc = p.condNconsts
  const nb = p.bodyNconsts
  const cc = primals.slice(0, nc)
  const bc = primals.slice(nc, nc + nb)
  const dbc = tangents.slice(nc, nc + nb)
  const carry = primals.slice(nc + nb)
  const dcarry = tangents.slice(nc + nb)
  const n = carry.length
  const body = traceProgram([...avalsOf(bc), ...avalsOf(dbc).map(tangentAval), ...avalsOf(carry), ...avalsOf(dcarry).map(tangentAval)], (xs) => {
    const [outs, touts] = jvpOfProgram(p.bodyJaxpr, [...xs.slice(0, nb), ...xs.slice(2 * nb, 2 * nb + n)], [...xs.slice(nb, 2 * nb), ...xs.slice(2 * nb + n)])
    return [...outs, ...touts]
  })
  const cond = traceProgram([...avalsOf(cc), ...avalsOf(carry), ...avalsOf(dcarry).map(tangentAval)], (xs) => evalJaxpr(p.condJaxpr, [], xs.slice(0, nc + n)))
  const outs = bind(whileP, [...cond.consts, ...cc, ...body.consts, ...bc, ...dbc, ...carry, ...dcarry], {
    condJaxpr: cond.jaxpr,
    bodyJaxpr: body.jaxpr,
    condNconsts: cond.consts.length + nc,
    bodyNconsts: body.consts.length + 2 * nb
  })
  return [outs.slice(0, n), outs.slice(n)]
}

whileP.transpose = () => {
  throw new ValueError(
    "Reverse-mode differentiation does not work for lax.whileLoop, whose trip count is only known at run time. " +
      "Use lax.scan, or lax.forILoop with static (JS number) bounds, which support reverse mode; forward mode (jvp) works with whileLoop."
  )
}

// ---------------------------------------------------------------------------------------------
// scan: inputs [consts, carry, xs]; outputs [carry, ys]. The body maps (consts, carry, x) -> (carry, y).

export interface ScanParams {
  readonly jaxpr: Jaxpr
  readonly numConsts: number
  readonly numCarry: number
  readonly length: number
  readonly reverse: boolean
  readonly [k: string]: unknown
}

export const scanP = definePrimitive<ScanParams>(
  "scan",
  (avals, p) => {
    const nConsts = checkCount(p.numConsts, avals.length, "scan: numConsts")
    const nCarry = checkCount(p.numCarry, avals.length - nConsts, "scan: numCarry")
    const length = checkDim(p.length, "scan: length")
    checkFlag(p.reverse, "scan: reverse")
    const carry = avals.slice(nConsts, nConsts + nCarry)
    const xs = avals.slice(nConsts + nCarry)
    for (const x of xs) {
      if (x.ndim === 0 || x.shape[0] !== length) {
        throw new ShapeError(`scan: every xs leaf needs a leading axis of length ${length}, got shape ${showShape(x.shape)}`)
      }
    }
    const outs = checkProgram("scan: the body", p.jaxpr, [
      ...avals.slice(0, nConsts + nCarry),
      ...xs.map((x) => new ShapedArray(x.shape.slice(1), x.dtype, x.weakType))
    ])
    if (outs.length < nCarry) throw new ShapeError(`scan: the body returns ${outs.length} values for a carry of ${nCarry}`)
    outs.slice(0, p.numCarry).forEach((o, i) => {
      if (!sameAval(o, carry[i]!)) {
        throw new ShapeError(`scan: the body must return the carry's types; carry ${i} is ${carry[i]!.str()} but the body returns ${o.str()}`)
      }
    })
    return [...carry, ...outs.slice(p.numCarry).map((y) => new ShapedArray([p.length, ...y.shape], y.dtype, y.weakType))]
  },
  true
)
scanP.printParams = (p) => [
  ["jaxpr", p.jaxpr],
  ["length", String(p.length)],
  ["num_carry", String(p.numCarry)],
  ["num_consts", String(p.numConsts)],
  ["reverse", p.reverse ? "True" : "False"]
]

scanP.jvp = (primals, tangents, p) => {
  // New layout: consts [jvp consts, consts, dconsts], carry [carry, dcarry], xs [xs, dxs].
  const { numConsts: nc, numCarry: nk } = p
  const c = primals.slice(0, nc)
  const dc = tangents.slice(0, nc)
  const k = primals.slice(nc, nc + nk)
  const dk = tangents.slice(nc, nc + nk)
  const x = primals.slice(nc + nk)
  const dx = tangents.slice(nc + nk)
  const xRow = (a: ShapedArray) => new ShapedArray(a.shape.slice(1), a.dtype, a.weakType)
  const body = traceProgram(
    [
      ...avalsOf(c),
      ...avalsOf(dc).map(tangentAval),
      ...avalsOf(k),
      ...avalsOf(dk).map(tangentAval),
      ...avalsOf(x).map(xRow),
      ...avalsOf(dx).map((a) => xRow(tangentAval(a)))
    ],
    (ins) => {
      const C = ins.slice(0, nc)
      const DC = ins.slice(nc, 2 * nc)
      const K = ins.slice(2 * nc, 2 * nc + nk)
      const DK = ins.slice(2 * nc + nk, 2 * nc + 2 * nk)
      const X = ins.slice(2 * nc + 2 * nk, 2 * nc + 2 * nk + x.length)
      const DX = ins.slice(2 * nc + 2 * nk + x.length)
      const [outs, touts] = jvpOfProgram(p.jaxpr, [...C, ...K, ...X], [...DC, ...DK, ...DX])
      return [...outs.slice(0, nk), ...touts.slice(0, nk), ...outs.slice(nk), ...touts.slice(nk)]
    }
  )
  const outs = bind(scanP, [...body.consts, ...c, ...dc, ...k, ...dk, ...x, ...dx], {
    jaxpr: body.jaxpr,
    numConsts: body.consts.length + 2 * nc,
    numCarry: 2 * nk,
    length: p.length,
    reverse: p.reverse
  })
  const ny = p.jaxpr.outs.length - nk
  return [
    [...outs.slice(0, nk), ...outs.slice(2 * nk, 2 * nk + ny)],
    [...outs.slice(nk, 2 * nk), ...outs.slice(2 * nk + ny)]
  ]
}

scanP.partialEval = (args, known, p, stage) => {
  const { numConsts: nc, numCarry: nk } = p
  const unknownIn = known.map((k) => !k)
  // Fixed point: a carry is unknown if it starts unknown or the body makes it unknown.
  let carryU = unknownIn.slice(nc, nc + nk)
  for (;;) {
    const mask = [...unknownIn.slice(0, nc), ...carryU, ...unknownIn.slice(nc + nk)]
    const pe = partialEvalJaxpr(p.jaxpr, mask)
    const next = carryU.map((u, i) => u || pe.outUnknown[i]!)
    if (next.every((u, i) => u === carryU[i])) break
    carryU = next
  }
  const mask = [...unknownIn.slice(0, nc), ...carryU, ...unknownIn.slice(nc + nk)]
  const ny = p.jaxpr.outs.length - nk
  const split = partialEvalJaxpr(p.jaxpr, mask, [...carryU, ...new globalThis.Array<boolean>(ny).fill(false)])
  const isU = (i: number) => mask[i]!
  const kc = args.slice(0, nc).filter((_, i) => !isU(i))
  const uc = args.slice(0, nc).filter((_, i) => isU(i))
  const kk = args.slice(nc, nc + nk).filter((_, i) => !isU(nc + i))
  const uk = args.slice(nc, nc + nk).filter((_, i) => isU(nc + i))
  const kx = args.slice(nc + nk).filter((_, i) => !isU(nc + nk + i))
  const ux = args.slice(nc + nk).filter((_, i) => isU(nc + nk + i))
  const yU = split.outUnknown.slice(nk)
  const nKnownCarry = kk.length
  const nKnownY = yU.filter((u) => !u).length
  // Known scan: consts [captured, known consts], carry known, xs known; residuals become extra ys.
  const knownOuts = bind(scanP, [...split.knownConsts, ...kc, ...kk, ...kx], {
    jaxpr: split.known,
    numConsts: split.knownConsts.length + kc.length,
    numCarry: nKnownCarry,
    length: p.length,
    reverse: p.reverse
  })
  const residuals = knownOuts.slice(nKnownCarry + nKnownY)
  // Unknown scan: consts unknown, carry unknown, xs [residual rows, unknown xs].
  const resRow = residuals.map((r) => new ShapedArray(r.shape.slice(1), r.dtype, r.weakType))
  const body = traceProgram(
    [...avalsOf(uc), ...avalsOf(uk), ...resRow, ...avalsOf(ux).map((a) => new ShapedArray(a.shape.slice(1), a.dtype, a.weakType))],
    (ins) => {
      const C = ins.slice(0, uc.length)
      const K = ins.slice(uc.length, uc.length + uk.length)
      const R = ins.slice(uc.length + uk.length, uc.length + uk.length + residuals.length)
      const X = ins.slice(uc.length + uk.length + residuals.length)
      return evalJaxpr(split.unknown, [], [...R, ...C, ...K, ...X])
    }
  )
  const unknownOuts = stage(scanP as unknown as Primitive, [...body.consts, ...uc, ...uk, ...residuals, ...ux], {
    jaxpr: body.jaxpr,
    numConsts: body.consts.length + uc.length,
    numCarry: uk.length,
    length: p.length,
    reverse: p.reverse
  })
  let ki = 0
  let ui = 0
  const carryOut = carryU.map((u) => (u ? unknownOuts[ui++]! : knownOuts[ki++]!))
  let kyi = nKnownCarry
  const ysOut = yU.map((u) => (u ? unknownOuts[ui++]! : knownOuts[kyi++]!))
  return [...carryOut, ...ysOut]
}

scanP.transpose = (cts, args, p) => {
  // Linear inputs: some consts, all linear carries and xs. Non-linear: the other consts and xs (residuals).
  const { numConsts: nc, numCarry: nk } = p
  // A carry given as a value (e.g. an instantiated zero tangent) is still a linear carry of the
  // body: transpose through it and drop its cotangent.
  const consts = args.slice(0, nc)
  const xs = args.slice(nc + nk)
  const nlConsts = consts.filter((a) => !(a instanceof UndefPrimal)) as Array[]
  const linConstAvals = consts.filter((a) => a instanceof UndefPrimal).map((a) => a.aval)
  const nlXs = xs.filter((a) => !(a instanceof UndefPrimal)) as Array[]
  const linXsIdx = xs.flatMap((a, i) => (a instanceof UndefPrimal ? [i] : []))
  const ctCarry = cts.slice(0, nk).map(ct)
  const ctYs = cts.slice(nk).map(ct)
  const rowAval = (a: ShapedArray) => new ShapedArray(a.shape.slice(1), a.dtype, a.weakType)
  const carryAvals = args.slice(nc, nc + nk).map((a) => a.aval)
  // Transposed body: consts [non-linear consts], carry [ct of linear consts (accumulated), ct carry],
  // xs [non-linear xs rows, ct ys rows] -> carry [acc + ct consts, ct carry in], ys [ct of linear xs].
  const body = traceProgram([...avalsOf(nlConsts), ...linConstAvals, ...carryAvals, ...avalsOf(nlXs).map(rowAval), ...avalsOf(ctYs).map(rowAval)], (ins) => {
    let k = 0
    const NC = ins.slice(k, (k += nlConsts.length))
    const ACC = ins.slice(k, (k += linConstAvals.length))
    const CK = ins.slice(k, (k += nk))
    const NX = ins.slice(k, (k += nlXs.length))
    const CY = ins.slice(k)
    let a = 0
    let b = 0
    const full: (Array | UndefPrimal)[] = [
      ...consts.map((c) => (c instanceof UndefPrimal ? c : NC[a++]!)),
      ...carryAvals.map((av) => new UndefPrimal(av)),
      ...xs.map((x) => (x instanceof UndefPrimal ? new UndefPrimal(rowAval(x.aval)) : NX[b++]!))
    ]
    const inCts = backwardPassWith(p.jaxpr, [], full, [...CK, ...CY])
    const ctConsts = consts.flatMap((c, i) => (c instanceof UndefPrimal ? [ct(inCts[i]!)] : []))
    const acc = ACC.map((x, i) => add(x, ctConsts[i]!))
    return [...acc, ...inCts.slice(nc, nc + nk).map(ct), ...linXsIdx.map((i) => ct(inCts[nc + nk + i]!))]
  })
  const outs = bind(scanP, [...body.consts, ...nlConsts, ...linConstAvals.map(zerosFor), ...ctCarry, ...nlXs, ...ctYs], {
    jaxpr: body.jaxpr,
    numConsts: body.consts.length + nlConsts.length,
    numCarry: linConstAvals.length + nk,
    length: p.length,
    reverse: !p.reverse
  })
  const result: (Array | null)[] = args.map(() => null)
  let o = 0
  consts.forEach((c, i) => {
    if (c instanceof UndefPrimal) result[i] = outs[o++]!
  })
  for (let i = 0; i < nk; i++) {
    const c = outs[o++]!
    if (args[nc + i] instanceof UndefPrimal) result[nc + i] = c
  }
  linXsIdx.forEach((i) => (result[nc + nk + i] = outs[o++]!))
  return result
}

// ---------------------------------------------------------------------------------------------
// Batching. Sub-programs are batched with every output at dimension 0; loop carries are all made
// batched (broadcast) so a carry keeps one batch status through the loop.

/** Batch a sub-program whose inputs are `args` with `dims`; returns its program and constants. */
const batchProgram = (jaxpr: Jaxpr, dims: ReadonlyArray<number | null>, size: number) => batchJaxpr(jaxpr, dims, size)

condP.batch = (args, dims, p, size) => {
  const start = condOperandStart(p)
  if (dims[0] === null) {
    const branches: Jaxpr[] = []
    const constArgs: Array[] = []
    const counts: number[] = []
    p.branches.forEach((b, i) => {
      let off = 1
      for (let j = 0; j < i; j++) off += p.constCounts[j]!
      const cDims = dims.slice(off, off + p.constCounts[i]!)
      const bb = batchProgram(b, [...cDims, ...dims.slice(start)], size)
      branches.push(bb.jaxpr)
      constArgs.push(...bb.consts, ...args.slice(off, off + p.constCounts[i]!))
      counts.push(bb.consts.length + p.constCounts[i]!)
    })
    const outs = bind(condP, [args[0]!, ...constArgs, ...args.slice(start)], { branches, constCounts: counts })
    return [outs, outs.map(() => 0)]
  }
  // A batched index: evaluate every branch for the whole batch and select per example.
  const idx = batchFirst(args[0]!, dims[0]!)
  const k = p.branches.length
  const results = p.branches.map((b, i) => {
    let off = 1
    for (let j = 0; j < i; j++) off += p.constCounts[j]!
    const bargs = branchArgs(args, p, i)
    const bdims = [...dims.slice(off, off + p.constCounts[i]!), ...dims.slice(start)]
    const bb = batchProgram(b, bdims, size)
    return evalJaxpr(bb.jaxpr, [], [...bb.consts, ...bargs])
  })
  const i32 = idx.dtype === "int32" ? idx : convertElementType(idx, "int32")
  const clamped = max(min(i32, constant(k - 1, "int32", [], true)), constant(0, "int32", [], true))
  const outs = results[0]!.map((_, j) => {
    const cases = results.map((r) => r[j]!)
    const sel = reshape(clamped, [size, ...new globalThis.Array<number>(cases[0]!.ndim - 1).fill(1)])
    return bind(selectNP, [sel, ...cases], {})[0]!
  })
  return [outs, outs.map(() => 0)]
}

whileP.batch = (args, dims, p, size) => {
  const nc = p.condNconsts
  const nb = p.bodyNconsts
  const cc = args.slice(0, nc)
  const bc = args.slice(nc, nc + nb)
  const carry = args.slice(nc + nb).map((c, i) => moveBatchAxis(c, dims[nc + nb + i] ?? null, 0, size))
  const carryDims = carry.map(() => 0)
  const condB = batchProgram(p.condJaxpr, [...dims.slice(0, nc), ...carryDims], size)
  const bodyB = batchProgram(p.bodyJaxpr, [...dims.slice(nc, nc + nb), ...carryDims], size)
  // Run until every example is done; finished examples keep their carry.
  const cond = traceProgram([...avalsOf(condB.consts), ...avalsOf(cc), ...avalsOf(carry)], (xs) => {
    const pred = evalJaxpr(condB.jaxpr, [], xs)[0]!
    return [reduceMax(pred, [0])]
  })
  const body = traceProgram([...avalsOf(condB.consts), ...avalsOf(cc), ...avalsOf(bodyB.consts), ...avalsOf(bc), ...avalsOf(carry)], (xs) => {
    const nCond = condB.consts.length + nc
    const c = xs.slice(nCond + bodyB.consts.length + nb)
    const pred = evalJaxpr(condB.jaxpr, [], [...xs.slice(0, nCond), ...c])[0]!
    const next = evalJaxpr(bodyB.jaxpr, [], [...xs.slice(nCond, nCond + bodyB.consts.length + nb), ...c])
    return next.map((n, i) => bind(selectNP, [reshape(pred, [size, ...new globalThis.Array<number>(n.ndim - 1).fill(1)]), c[i]!, n], {})[0]!)
  })
  const outs = bind(whileP, [...cond.consts, ...condB.consts, ...cc, ...body.consts, ...condB.consts, ...cc, ...bodyB.consts, ...bc, ...carry], {
    condJaxpr: cond.jaxpr,
    bodyJaxpr: body.jaxpr,
    condNconsts: cond.consts.length + condB.consts.length + nc,
    bodyNconsts: body.consts.length + condB.consts.length + nc + bodyB.consts.length + nb
  })
  return [outs, outs.map(() => 0)]
}

scanP.batch = (args, dims, p, size) => {
  const { numConsts: nc, numCarry: nk } = p
  const consts = args.slice(0, nc)
  const carry = args.slice(nc, nc + nk).map((c, i) => moveBatchAxis(c, dims[nc + i] ?? null, 0, size))
  // xs rows are batched at 0 when the stacked xs are batched at 1 (the scan axis stays first).
  const xs = args.slice(nc + nk).map((x, i) => {
    const d = dims[nc + nk + i] ?? null
    return d === null ? x : moveBatchAxis(x, d, 1, size)
  })
  const xDims = args.slice(nc + nk).map((_, i) => (dims[nc + nk + i] === null ? null : 0))
  const bodyB = batchProgram(p.jaxpr, [...dims.slice(0, nc), ...carry.map(() => 0), ...xDims], size)
  const outs = bind(scanP, [...bodyB.consts, ...consts, ...carry, ...xs], {
    jaxpr: bodyB.jaxpr,
    numConsts: bodyB.consts.length + nc,
    numCarry: nk,
    length: p.length,
    reverse: p.reverse
  })
  return [outs, outs.map((_, i) => (i < nk ? 0 : 1))]
}
