import { describe, expect, it } from "vitest"
import { binaryOps, unaryOps } from "./ir.js"
import { isLibraryCall, kernelOp, kernelOps } from "./ops.js"

describe("the kernel-op table", () => {
  it("has exactly one entry per unary and binary kernel op, with its arity", () => {
    expect(Object.keys(kernelOps).sort()).toEqual([...unaryOps, ...binaryOps].sort())
    for (const op of unaryOps) expect(kernelOps[op].arity, op).toBe(1)
    for (const op of binaryOps) expect(kernelOps[op].arity, op).toBe(2)
    expect(kernelOp("reduce_sum")).toBeUndefined()
    expect(kernelOp("integer_pow")).toBeUndefined()
  })

  it("transcendental ops cost the most, are costly and are not inline arithmetic; the others cost at most 2", () => {
    for (const [op, info] of Object.entries(kernelOps)) {
      if (info.transcendental) {
        expect([op, info.cost, info.costly, info.emit === "inline"]).toEqual([op, 8, true, false])
      } else {
        expect(info.cost, op).toBeLessThanOrEqual(2)
      }
    }
    // The ops the fusion policy has always treated as transcendental (lower.ts's former list).
    const slow = Object.keys(kernelOps)
      .filter((op) => kernelOps[op as keyof typeof kernelOps].transcendental)
      .sort()
    expect(slow).toEqual([
      "acos",
      "asin",
      "atan",
      "atan2",
      "cos",
      "cosh",
      "erf",
      "exp",
      "exp2",
      "expm1",
      "log",
      "log1p",
      "logistic",
      "pow",
      "sin",
      "sinh",
      "tan",
      "tanh"
    ])
  })

  it("library calls: float operands only, and exp only in float64 (its float32 form is inline)", () => {
    expect(isLibraryCall("exp", "float32")).toBe(false)
    expect(isLibraryCall("exp", "float64")).toBe(true)
    expect(isLibraryCall("tanh", "float32")).toBe(true)
    expect(isLibraryCall("rem", "float32")).toBe(true)
    expect(isLibraryCall("rem", "int32")).toBe(false)
    expect(isLibraryCall("add", "float64")).toBe(false)
    expect(isLibraryCall("div", "float64")).toBe(false)
  })
})
