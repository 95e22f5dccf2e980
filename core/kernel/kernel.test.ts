/**
 * The backend-neutral half of the compiler: index maps, the lowering of jaxprs to kernels and
 * calls (what fuses, what is materialized), and buffer planning.
 */
import { describe, expect, it } from "vitest"
import { type Array, lax, makeJaxpr, nn, np } from "../../index.js"
import { ShapedArray } from "../array.js"
import { fromAffine, toAffine, transposeOperand, unitMap } from "./indexmap.js"
import { type Kernel, printKernel } from "./ir.js"
import { lowerJaxpr } from "./lower.js"
import { planBuffers, type Program } from "./program.js"

const kernelsOf = (p: Program): Kernel[] => p.steps.flatMap((s) => (s.kind === "kernel" ? [s.kernel] : []))
const callsOf = (p: Program): string[] => p.steps.flatMap((s) => (s.kind === "call" ? [s.eqn.primitive.name] : []))
const lower = (f: (...xs: Array[]) => unknown, ...xs: Array[]): Program => lowerJaxpr(makeJaxpr(f)(...xs).jaxpr)
const f32 = (shape: ReadonlyArray<number>): Array => np.zeros([...shape], { dtype: "float32" })

describe("index maps", () => {
  it("an identity map is the row-major position", () => {
    const m = unitMap([3, 4], [0, 1], 2)
    expect(toAffine(m, [3, 4], 2)).toEqual({ offset: 0, strides: [4, 1] })
  })
  it("a transposed read walks the operand's strides in the other order", () => {
    const m = transposeOperand(unitMap([4, 3], [0, 1], 2), [1, 0])
    expect(toAffine(m, [3, 4], 2)).toEqual({ offset: 0, strides: [1, 4] })
  })
  it("a linear position splits into dimensions when there are no carries", () => {
    // domain [2, 3, 4] read as a [6, 4] array: i0 * 12 + i1 * 4 + i2
    const m = fromAffine({ offset: 0, strides: [12, 4, 1] }, [6, 4], [2, 3, 4])
    expect(m).not.toBeNull()
    expect(m!.coef).toEqual([
      [3, 1, 0],
      [0, 0, 1]
    ])
    // reversed and offset: 5 - i0 over a domain of 6 in a [2, 3] array does not split (carries)
    expect(fromAffine({ offset: 5, strides: [-1] }, [2, 3], [6])).toBeNull()
    // 3 - i0 over a domain of 3 lies in row 1: [1, 3 - 1 - i0]
    expect(fromAffine({ offset: 5, strides: [-1] }, [2, 3], [3])).toEqual({ off: [1, 2], coef: [[0], [-1]] })
    // a flat domain over a [3, 4] array needs a carry at every 4th element
    expect(fromAffine({ offset: 0, strides: [1] }, [3, 4], [12])).toBeNull()
  })
})

describe("lowering", () => {
  it("an elementwise chain with broadcasts is one kernel whose loads carry the broadcast strides", () => {
    const p = lower((x: Array, b: Array) => np.exp(x.add(b)).mul(2), f32([3, 4]), f32([4]))
    const ks = kernelsOf(p)
    expect(ks.length).toBe(1)
    const loads = ks[0]!.nodes.flatMap((n) => (n.kind === "load" ? [n.at.strides] : []))
    expect(loads).toEqual([
      [4, 1],
      [0, 1]
    ])
  })

  it("transpose, rev and slice are strides and offsets, never copies", () => {
    const p = lower((x: Array) => lax.slice(lax.rev(lax.transpose(x, [1, 0]), [0]), [1, 0], [3, 2]), f32([2, 4]))
    const k = kernelsOf(p)[0]!
    expect(kernelsOf(p).length).toBe(1)
    // out[i, j] = x.T[4 - 1 - (1 + i), j] = x[j, 2 - i]
    const load = k.nodes.find((n) => n.kind === "load")
    expect(load).toMatchObject({ at: { offset: 2, strides: [-1, 4] } })
  })

  it("pad and concatenate become guarded loads and selects", () => {
    const p = lower((x: Array, y: Array) => lax.concatenate([lax.pad(np.exp(x), np.asarray(0, { dtype: "float32" }), [[1, 0, 0]]), y], 0), f32([3]), f32([2]))
    expect(callsOf(p)).toEqual([])
    const k = kernelsOf(p)[0]!
    expect(kernelsOf(p).length).toBe(1)
    expect(k.nodes.filter((n) => n.kind === "inbounds").length).toBeGreaterThanOrEqual(2)
    expect(printKernel(k)).toContain("if 0<=")
  })

  it("a reduction and its epilogue share a kernel; a reduction broadcast back starts a new one", () => {
    const mean = lower((x: Array) => np.mean(x, { axis: 1 }), f32([4, 6]))
    expect(kernelsOf(mean).length).toBe(1)
    expect(kernelsOf(mean)[0]!.reductions.map((r) => r.op)).toEqual(["sum"])
    const centered = lower((x: Array) => x.sub(np.mean(x, { axis: 1, keepdims: true })), f32([4, 6]))
    const ks = kernelsOf(centered)
    expect(ks.length).toBe(2)
    expect(ks[0]!.reduced).toEqual([false, true])
    expect(ks[1]!.reductions).toEqual([])
  })

  it("two reductions over one domain are one kernel; argmax carries its index", () => {
    const p = lower((x: Array) => np.max(x, { axis: 0 }).add(np.sum(x, { axis: 0 })), f32([5, 3]))
    expect(kernelsOf(p).length).toBe(1)
    expect(
      kernelsOf(p)[0]!
        .reductions.map((r) => r.op)
        .sort()
    ).toEqual(["max", "sum"])
    const a = lower((x: Array) => np.argmax(x, { axis: 1 }), f32([5, 3]))
    expect(kernelsOf(a)[0]!.reductions[0]).toMatchObject({ op: "argmax", dtype: "int32" })
  })

  it("dot_general is a call; values it reads and writes are materialized", () => {
    const p = lower((x: Array, w: Array) => nn.relu(np.dot(np.tanh(x), w)), f32([4, 3]), f32([3, 2]))
    expect(p.steps.map((s) => (s.kind === "call" ? s.eqn.primitive.name : "kernel"))).toEqual(["kernel", "dot_general", "kernel"])
  })

  it("a reshape that splits a loop refines the kernel's domain instead of materializing", () => {
    // [3, 4] -> [2, 6] -> transpose -> [6, 2] -> [3, 4]: one kernel over a [3, 2, 2] domain
    const f = (x: Array) => lax.reshape(lax.transpose(lax.reshape(np.exp(x), [2, 6]), [1, 0]), [3, 4])
    const p = lower(f, f32([3, 4]))
    expect(kernelsOf(p).length).toBe(1)
    expect(kernelsOf(p)[0]!.domain).toEqual([3, 2, 2])
    // and the same under a reduction (argmax's index runs over the split axis)
    const g = (x: Array) => np.argmax(f(x), { axis: 1 })
    const q = lower(g, f32([3, 4]))
    expect(kernelsOf(q).length).toBe(1)
    expect(kernelsOf(q)[0]!.reduced).toEqual([false, true, true])
  })

  it("dead code is dropped", () => {
    const p = lower(
      (x: Array) => {
        np.exp(x) // unused
        return x.mul(2)
      },
      f32([3])
    )
    expect(kernelsOf(p).length).toBe(1)
    expect(kernelsOf(p)[0]!.primitives).toEqual(["mul"])
  })
})

describe("buffer planning", () => {
  const aval = new ShapedArray([8], "float32")
  /** A program of `n` kernels in a chain, each reading the previous value. */
  const chain = (n: number, reads: (i: number) => number[]): Program => {
    const steps = globalThis.Array.from({ length: n }, (_, i) => ({
      kind: "kernel" as const,
      kernel: { name: `k${i}`, domain: [8], reduced: [false], inputs: [], nodes: [], reductions: [], outputs: [], primitives: [] },
      inputs: reads(i),
      outputs: [i + 1]
    }))
    return { slots: globalThis.Array.from({ length: n + 1 }, () => aval), inputs: 1, steps, outputs: [n] }
  }
  it("a chain ping-pongs between two buffers; the output is never pooled", () => {
    const plan = planBuffers(chain(10, (i) => [i]))
    expect(plan.buffers.length).toBe(2)
    expect(plan.bufferOf[10]).toBe(-1)
    expect(plan.bufferOf[0]).toBe(-1)
  })
  it("a value read later keeps its buffer until its last reader", () => {
    // step i reads value i and value 1: value 1's buffer is never reused
    const plan = planBuffers(chain(6, (i) => (i === 0 ? [0] : [i, 1])))
    const b1 = plan.bufferOf[1]!
    for (let s = 2; s <= 5; s++) expect(plan.bufferOf[s]).not.toBe(b1)
  })
})
