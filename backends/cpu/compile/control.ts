/**
 * Control flow inside compiled programs: `cond`, `while` and `scan` run as JavaScript branches and
 * loops over their compiled sub-programs, reading the predicate or index straight from its buffer.
 * No array objects, no dispatch and no device read-back per iteration; `while` and `scan` run their
 * sub-programs in their `RunInto` form (run-into.ts) into buffers of the call (two carry sets used
 * in turn, and scan's output rows), so an iteration allocates nothing either. An eager `whileLoop` (a
 * one-equation program) and a jitted one both run this way, on whichever device runs the program
 * (a worker device runs the whole loop on its thread).
 */
import type { ShapedArray } from "../../../core/array.js"
import type { DeviceBuffer, Executable, KernelInput } from "../../../core/backend.js"
import type { AnyTypedArray } from "../../../core/dtype.js"
import type { Eqn, Jaxpr } from "../../../core/ir.js"
import type { Primitive } from "../../../core/primitive.js"
import { condP, type CondParams, scanP, type ScanParams, whileP, type WhileParams } from "../../../core/primitives/control.js"
import { alloc } from "../layout.js"
import { runIntoOf } from "./run-into.js"

export type CallFn = (buffers: ReadonlyArray<DeviceBuffer>) => ReadonlyArray<DeviceBuffer>

/** Inputs for an executable whose buffers are swapped in per call (built once). */
const inputsFor = (
  jaxpr: Jaxpr
): { readonly ins: { buffer: DeviceBuffer; aval: ShapedArray }[]; readonly set: (bufs: ReadonlyArray<DeviceBuffer>) => ReadonlyArray<KernelInput> } => {
  const ins = [...jaxpr.constVars, ...jaxpr.inVars].map((v) => ({ buffer: EMPTY as DeviceBuffer, aval: v.aval }))
  return {
    ins,
    set: (bufs) => {
      for (let i = 0; i < ins.length; i++) ins[i]!.buffer = bufs[i]!
      return ins
    }
  }
}

const EMPTY = new Float32Array(0)

const condCall = (p: CondParams, compile: (j: Jaxpr) => Executable): CallFn => {
  const exes = p.branches.map((b) => compile(b))
  const inputs = p.branches.map(inputsFor)
  const starts: number[] = []
  let off = 1
  for (const c of p.constCounts) {
    starts.push(off)
    off += c
  }
  const operandStart = off
  const last = p.branches.length - 1
  return (bufs) => {
    const raw = (bufs[0] as AnyTypedArray)[0]!
    // JAX clamps the index into range (a bool picks branch 0 or 1).
    const i = raw <= 0 ? 0 : raw >= last ? last : Math.trunc(raw)
    const args = [...bufs.slice(starts[i]!, starts[i]! + p.constCounts[i]!), ...bufs.slice(operandStart)]
    return exes[i]!(inputs[i]!.set(args))
  }
}

const whileCall = (p: WhileParams, compile: (j: Jaxpr) => Executable): CallFn => {
  const cond = compile(p.condJaxpr)
  const body = compile(p.bodyJaxpr)
  const condInto = runIntoOf(cond)
  const bodyInto = runIntoOf(body)
  const nc = p.condNconsts
  const nb = p.bodyNconsts
  if (condInto === undefined || bodyInto === undefined) {
    const condIn = inputsFor(p.condJaxpr)
    const bodyIn = inputsFor(p.bodyJaxpr)
    return (bufs) => {
      const condArgs = bufs.slice(0, nc)
      const bodyArgs = bufs.slice(nc, nc + nb)
      let carry: ReadonlyArray<DeviceBuffer> = bufs.slice(nc + nb)
      for (;;) {
        const pred = cond(condIn.set([...condArgs, ...carry]))[0] as AnyTypedArray
        if (pred[0] === 0) return carry
        carry = body(bodyIn.set([...bodyArgs, ...carry]))
      }
    }
  }
  const carryAvals = p.bodyJaxpr.outs.map((o) => o.aval)
  const nk = carryAvals.length
  const predAval = p.condJaxpr.outs[0]!.aval
  const condVars = [...p.condJaxpr.constVars, ...p.condJaxpr.inVars]
  const bodyVars = [...p.bodyJaxpr.constVars, ...p.bodyJaxpr.inVars]
  // Each iteration runs both sub-programs into buffers of this call: the predicate's, and two carry
  // sets used in turn (the body reads one and writes the other). Nothing is allocated per iteration.
  return (bufs) => {
    const condIn = condVars.map((v, i) => ({ buffer: i < nc ? bufs[i]! : EMPTY, aval: v.aval }))
    const bodyIn = bodyVars.map((v, i) => ({ buffer: i < nb ? bufs[nc + i]! : EMPTY, aval: v.aval }))
    const pred = [alloc(predAval.dtype, 1)] as const
    const sets: ReadonlyArray<ReadonlyArray<AnyTypedArray>> = [0, 1].map(() => carryAvals.map((a) => alloc(a.dtype, a.size)))
    let carry: ReadonlyArray<DeviceBuffer> = bufs.slice(nc + nb)
    for (let k = 0; ; k ^= 1) {
      for (let i = 0; i < nk; i++) condIn[nc + i]!.buffer = carry[i]!
      condInto(condIn, pred)
      if (pred[0][0] === 0) return carry
      for (let i = 0; i < nk; i++) bodyIn[nb + i]!.buffer = carry[i]!
      const next = sets[k]!
      bodyInto(bodyIn, next)
      carry = next
    }
  }
}

const scanCall = (p: ScanParams, eqn: Eqn, compile: (j: Jaxpr) => Executable): CallFn => {
  const body = compile(p.jaxpr)
  const bodyIn = inputsFor(p.jaxpr)
  const { numConsts: nc, numCarry: nk, length, reverse } = p
  const xRows = eqn.inputs.slice(nc + nk).map((x) => x.aval.size / Math.max(1, length))
  const yAvals = eqn.outVars.slice(nk).map((v) => v.aval)
  const yRows = yAvals.map((a) => a.size / Math.max(1, length))
  const bodyInto = runIntoOf(body)
  if (bodyInto !== undefined) {
    const vars = [...p.jaxpr.constVars, ...p.jaxpr.inVars]
    const carryAvals = p.jaxpr.outs.slice(0, nk).map((o) => o.aval)
    // The body writes the next carry into one of two sets of this call's buffers (used in turn)
    // and its per-iteration outputs straight into their rows of ys.
    return (bufs) => {
      const ins = vars.map((v, i) => ({ buffer: i < nc ? bufs[i]! : EMPTY, aval: v.aval }))
      const xs = bufs.slice(nc + nk) as ReadonlyArray<AnyTypedArray>
      const ys = yAvals.map((a) => alloc(a.dtype, a.size))
      const sets = [0, 1].map(() => carryAvals.map((a) => alloc(a.dtype, a.size)))
      const outs: AnyTypedArray[] = new Array<AnyTypedArray>(nk + ys.length)
      let carry: ReadonlyArray<DeviceBuffer> = bufs.slice(nc, nc + nk)
      for (let k = 0; k < length; k++) {
        const t = reverse ? length - 1 - k : k
        for (let i = 0; i < nk; i++) ins[nc + i]!.buffer = carry[i]!
        for (let j = 0; j < xs.length; j++) ins[nc + nk + j]!.buffer = xs[j]!.subarray(t * xRows[j]!, (t + 1) * xRows[j]!)
        const next = sets[k & 1]!
        for (let i = 0; i < nk; i++) outs[i] = next[i]!
        for (let j = 0; j < ys.length; j++) outs[nk + j] = ys[j]!.subarray(t * yRows[j]!, (t + 1) * yRows[j]!)
        bodyInto(ins, outs)
        carry = next
      }
      return [...carry, ...ys]
    }
  }
  return (bufs) => {
    const consts = bufs.slice(0, nc)
    let carry: ReadonlyArray<DeviceBuffer> = bufs.slice(nc, nc + nk)
    const xs = bufs.slice(nc + nk) as ReadonlyArray<AnyTypedArray>
    const ys = yAvals.map((a) => alloc(a.dtype, a.size))
    for (let k = 0; k < length; k++) {
      const t = reverse ? length - 1 - k : k
      // Row t of each xs: a view, not a copy (rows are contiguous in row-major storage).
      const rows = xs.map((x, j) => x.subarray(t * xRows[j]!, (t + 1) * xRows[j]!))
      const outs = body(bodyIn.set([...consts, ...carry, ...rows]))
      carry = outs.slice(0, nk)
      for (let j = 0; j < ys.length; j++) ys[j]!.set(outs[nk + j] as AnyTypedArray, t * yRows[j]!)
    }
    // A carry that is a row of xs is a view of the caller's memory: give it its own copy.
    const own = carry.map((c) => (xs.some((x) => (c as AnyTypedArray).buffer === x.buffer && c !== x) ? (c as AnyTypedArray).slice() : c))
    return [...own, ...ys]
  }
}

/** The compiled call of a control-flow equation, or undefined for other primitives. */
export const controlCall = (eqn: Eqn, compile: (j: Jaxpr) => Executable): CallFn | undefined => {
  const prim: Primitive = eqn.primitive
  if (prim === (condP as unknown as Primitive)) return condCall(eqn.params as CondParams, compile)
  if (prim === (whileP as unknown as Primitive)) return whileCall(eqn.params as WhileParams, compile)
  if (prim === (scanP as unknown as Primitive)) return scanCall(eqn.params as ScanParams, eqn, compile)
  return undefined
}
