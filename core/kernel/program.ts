/**
 * A lowered program: the steps an executable runs, over numbered buffer slots. Steps are fused
 * kernels (`kernel.ts` IR) or calls of single primitives that stay opaque to fusion (dot_general,
 * gather, scatter, cumulative sums, pad, concatenate, control flow, nested programs, anything
 * unknown), which a backend runs with its own kernels or the primitive's impl.
 *
 * Slots `0 .. inputs - 1` are the program's inputs (constant variables, then input variables);
 * every other slot is produced by exactly one step. `planBuffers` assigns the slots that kernels
 * produce to pooled buffers by liveness.
 */
import type { ShapedArray } from "../array.js"
import type { Eqn, Lit } from "../ir.js"
import { type Kernel, rowMajorStrides } from "./ir.js"

export interface KernelStep {
  readonly kind: "kernel"
  readonly kernel: Kernel
  /** Slot of each kernel input. */
  readonly inputs: ReadonlyArray<number>
  /** Slot of each kernel output. */
  readonly outputs: ReadonlyArray<number>
}

export interface CallStep {
  readonly kind: "call"
  readonly eqn: Eqn
  /** A slot, or a literal, per primitive input. */
  readonly inputs: ReadonlyArray<number | Lit>
  readonly outputs: ReadonlyArray<number>
}

export type Step = KernelStep | CallStep

export interface Program {
  readonly slots: ReadonlyArray<ShapedArray>
  readonly inputs: number
  readonly steps: ReadonlyArray<Step>
  /** A slot or a literal per program output. */
  readonly outputs: ReadonlyArray<number | Lit>
}

export interface BufferPlan {
  /** Per slot: the pooled buffer holding it, or -1 (inputs, call results, program outputs). */
  readonly bufferOf: ReadonlyArray<number>
  /** The pooled buffers (allocated once per executable, reused by every call). */
  readonly buffers: ReadonlyArray<{ readonly dtype: ShapedArray["dtype"]; readonly size: number }>
  /** Per slot: the last step that reads it (-1 if none); program outputs are never released. */
  readonly lastUse: ReadonlyArray<number>
}

/**
 * Liveness and pooling: a slot produced by a kernel that is not a program output takes a free
 * pooled buffer of its (dtype, size), or a new one, and gives it back after the last step that
 * reads it. A step's outputs never share a buffer with its inputs.
 */
export const planBuffers = (p: Program): BufferPlan => {
  const n = p.slots.length
  const lastUse = new globalThis.Array<number>(n).fill(-1)
  p.steps.forEach((s, i) => {
    for (const x of s.inputs) if (typeof x === "number") lastUse[x] = i
  })
  const isOutput = new globalThis.Array<boolean>(n).fill(false)
  for (const o of p.outputs) if (typeof o === "number") isOutput[o] = true
  const bufferOf = new globalThis.Array<number>(n).fill(-1)
  const buffers: { dtype: ShapedArray["dtype"]; size: number }[] = []
  const free = new Map<string, number[]>()
  const key = (a: ShapedArray): string => `${a.dtype}:${a.size}`
  const release = (slot: number): void => {
    const b = bufferOf[slot]!
    if (b < 0) return
    const k = key(p.slots[slot]!)
    let list = free.get(k)
    if (list === undefined) free.set(k, (list = []))
    list.push(b)
  }
  p.steps.forEach((s, i) => {
    if (s.kind === "kernel") {
      for (const o of s.outputs) {
        if (isOutput[o]) continue
        const a = p.slots[o]!
        const b = free.get(key(a))?.pop()
        if (b !== undefined) bufferOf[o] = b
        else {
          bufferOf[o] = buffers.length
          buffers.push({ dtype: a.dtype, size: a.size })
        }
      }
    }
    const seen = new Set<number>()
    for (const x of s.inputs) {
      if (typeof x === "number" && lastUse[x] === i && !isOutput[x] && !seen.has(x)) {
        seen.add(x)
        release(x)
      }
    }
    // outputs nobody reads are free at once
    for (const o of s.outputs) if (lastUse[o] === -1 && !isOutput[o]) release(o)
  })
  return { bufferOf, buffers, lastUse }
}

/**
 * A kernel that only copies one input element for element in the same dtype (a reshape, a view
 * adding or moving size-1 dimensions, a full slice: the identity on the flat buffer) writes nothing:
 * its output is its input's buffer. Buffers are immutable, so sharing one is safe; an eager reshape
 * costs no copy.
 */
export const aliasCopies = (p: Program): Program => {
  const subst = new Map<number, number>()
  const at = (x: number): number => subst.get(x) ?? x
  const steps: Step[] = []
  for (const s of p.steps) {
    const ins = s.inputs.map((x) => (typeof x === "number" ? at(x) : x))
    if (s.kind === "kernel" && isCopy(s.kernel)) {
      subst.set(s.outputs[0]!, at(s.inputs[0]!))
      continue
    }
    steps.push(s.kind === "kernel" ? { ...s, inputs: ins as number[] } : { ...s, inputs: ins })
  }
  if (subst.size === 0) return p
  return { ...p, steps, outputs: p.outputs.map((o) => (typeof o === "number" ? at(o) : o)) }
}

const isCopy = (k: Kernel): boolean => {
  if (k.outputs.length !== 1 || k.reductions.length > 0 || k.inputs.length !== 1) return false
  const o = k.outputs[0]!
  const n = k.nodes[o.node]!
  if (o.phase !== "full" || n.kind !== "load" || n.bounds.length > 0 || n.dtype !== o.dtype) return false
  if (k.inputs[n.input]!.size !== o.size || n.at.offset !== 0) return false
  const want = rowMajorStrides(k.domain)
  return k.domain.every((size, d) => size === 1 || n.at.strides[d] === want[d])
}
