import { describe, expect, it } from "vitest"
import { binaryOps, unaryOps } from "../../../core/kernel/ir.js"
import { isLibraryCall } from "../../../core/kernel/ops.js"
import { binaryCode, unaryCode } from "../elementwise.js"

// The CPU code of an op calls into the math library exactly where the kernel-op table says it is a
// library call (float64 operands; `%` on floats is the engine's fmod, a call too).
const callsLibrary = (code: string): boolean => /Math\.(exp|pow|log|log1p|expm1|tanh|sin|cos|tan|asin|acos|atan|sinh|cosh|atan2)\(|H\.erf\(| % /.test(code)

describe("the kernel-op table agrees with the CPU's emitted code", () => {
  it("unary ops", () => {
    for (const op of unaryOps) expect([op, callsLibrary(unaryCode[op]!("x", "float64"))]).toEqual([op, isLibraryCall(op, "float64")])
  })
  it("binary ops, on float64 and int32 operands", () => {
    for (const op of binaryOps) {
      expect([op, callsLibrary(binaryCode[op]!("x", "y", "float64"))]).toEqual([op, isLibraryCall(op, "float64")])
      // Integer operands are never library calls (atan2 takes floats only; integer pow is a helper loop).
      if (op !== "atan2") expect([op, isLibraryCall(op, "int32")]).toEqual([op, false])
    }
  })
})
