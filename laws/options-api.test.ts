import fc from "fast-check"
import { describe, expect, it } from "vitest"
import { stopGradientP } from "../core/primitives/elementwise.js"
import { checkNamespace, type NoOptions, type OptionsTable } from "../core/test-helpers.js"
import { type Array, devices, np, ValueError } from "../index.js"
import * as laws from "./index.js"
import { arb, programs } from "./index.js"

const f = (x: Array) => np.sum(x.mul(x))
const xs = [arb.array({ shape: [2] })] as const
const property = fc.property(fc.constant(1), () => true) as unknown as fc.IProperty<[number]>

describe("an unknown option of the laws is a ValueError naming the function, the valid keys and the closest one", () => {
  it("the laws, check and the arbitraries", () => {
    expect(() => laws.check(property, { numruns: 5 } as never)).toThrow(
      'laws.check: unknown option "numruns" (did you mean "numRuns"?); the options are seed, numRuns, path, interruptAfterTimeLimit.'
    )
    expect(() => laws.gradMatchesFiniteDifferences(f, xs, { argnum: [0] } as never)).toThrow(
      /laws\.gradMatchesFiniteDifferences: unknown option "argnum" \(did you mean "argnums"\?\)/
    )
    expect(() => arb.array({ shape: [2], dtyp: "float64" } as never)).toThrow(/arb\.array: unknown option "dtyp" \(did you mean "dtype"\?\)/)
    expect(() => arb.shape({ maxrank: 2 } as never)).toThrow(/arb\.shape: unknown option "maxrank" \(did you mean "maxRank"\?\)/)
    expect(() => programs.programCase({ smoth: true } as never)).toThrow(/programs\.programCase: unknown option "smoth" \(did you mean "smooth"\?\)/)
  })

  it("nested options: shape bounds, a law's programs and its tolerance", () => {
    expect(() => arb.array({ shape: { maxSize: 4, max_rank: 1 } } as never)).toThrow(
      /arb\.array \(shape\): unknown option "max_rank" \(did you mean "maxRank"\?\)/
    )
    expect(() => laws.programLaws.jitMatchesEager({ programs: { maxDepht: 2 } } as never)).toThrow(
      /laws\.programLaws\.jitMatchesEager \(programs\): unknown option "maxDepht" \(did you mean "maxDepth"\?\)/
    )
    expect(() => laws.programLaws.vmapMatchesStack({ programs: { shapes: { maxDim: 2, minDims: 1 } } } as never)).toThrow(
      /laws\.programLaws\.vmapMatchesStack \(programs\) \(shapes\): unknown option "minDims" \(did you mean "minDim"\?\)/
    )
    expect(() => laws.jitMatchesEager(f, xs, { tolerance: { rtl: 1e-3 } } as never)).toThrow(
      /laws\.jitMatchesEager \(tolerance\): unknown option "rtl" \(did you mean "rtol"\?\)/
    )
    expect(() => laws.jitMatchesEager(f, xs, { tolerance: "exakt" } as never)).toThrow(
      /laws\.jitMatchesEager: unknown tolerance "exakt" \(did you mean "exact"\?\)/
    )
    expect(() => laws.stateJitInvariance({ programs: { max_steps: 3 } } as never)).toThrow(
      /laws\.stateJitInvariance \(programs\): unknown option "max_steps" \(did you mean "maxSteps"\?\)/
    )
  })

  it("a fixed set of values: an unknown one is a ValueError too", () => {
    expect(() => laws.gradMatchesFiniteDifferences(f, xs, { gradDtype: "float32" as never })).toThrow(/unknown gradDtype "float32"/)
    expect(() => arb.key({ from: "seeds" as never })).toThrow(/arb\.key: unknown from "seeds" \(did you mean "seed"\?\)/)
    expect(() => programs.programCase({ ops: { unary: ["sine" as never] } })).toThrow(ValueError)
    expect(() => programs.programCase({ ops: { unary: ["sine" as never] } })).toThrow(/unknown unary operation "sine" \(did you mean "sin"\?\)/)
    expect(() => laws.primitiveRulesHold(stopGradientP, xs, { rules: ["batches" as never] })).toThrow(/unknown rule "batches" \(did you mean "batch"\?\)/)
  })
})

// ---------------------------------------------------------------------------------------------
// Coverage: every export is classified; every one that takes options checks them.

const spec = [{ shape: [2], dtype: "float32" as const }]
const lawsTable: OptionsTable<typeof laws> = {
  check: (o) => laws.check(property, o),
  checkAsync: (o) => laws.checkAsync(fc.asyncProperty(fc.constant(1), async () => true) as unknown as fc.IAsyncProperty<[number]>, o),
  jitMatchesEager: (o) => laws.jitMatchesEager(f, xs, o),
  gradMatchesFiniteDifferences: (o) => laws.gradMatchesFiniteDifferences(f, xs, o),
  jvpIsLinear: (o) => laws.jvpIsLinear(f, xs, o),
  vjpIsAdjointOfJvp: (o) => laws.vjpIsAdjointOfJvp(f, xs, o),
  jitGradCommutes: (o) => laws.jitGradCommutes(f, xs, o),
  vmapMatchesStack: (o) => laws.vmapMatchesStack(f, xs, o),
  treeRoundTrip: (o) => laws.treeRoundTrip(fc.constant([1]), o),
  splitIsDeterministic: (o) => laws.splitIsDeterministic(arb.key(), o),
  splitKeysDistinct: (o) => laws.splitKeysDistinct(arb.key(), o),
  foldInDistinct: (o) => laws.foldInDistinct(arb.key(), o),
  samplerDeterministic: (o) => laws.samplerDeterministic((k) => k, o),
  stateJitInvariance: (o) => laws.stateJitInvariance(o),
  stateProgramCase: (o) => laws.stateProgramCase(o),
  setThenGet: (o) => laws.setThenGet(o),
  onDevice: (o) => laws.onDevice(devices()[0]!, o),
  backendsAgree: (o) => laws.backendsAgree(f, xs, { devices: laws.cpuDevices(), ...(o as object) }),
  backendsAgreeAsync: (o) => laws.backendsAgreeAsync(f, xs, { devices: laws.cpuDevices(), ...(o as object) }),
  customRuleMatchesFiniteDifferences: (o) => laws.customRuleMatchesFiniteDifferences(f, xs, o),
  customJvpVjpAgree: (o) => laws.customJvpVjpAgree(f, xs, o),
  primitiveRulesHold: (o) => laws.primitiveRulesHold(stopGradientP, xs, o)
}
// treeCode's and formatNumber's second parameters are an indent and a dtype; treeCode takes any value.
const lawsNone: NoOptions<typeof laws> = [
  "Described",
  "LawCase",
  "LawFailure",
  "LawViolation",
  "arrayCode",
  "cpuDevices",
  "formatNumber",
  "keyCode",
  "scalarize",
  "stateProgram",
  "stateProgramCode",
  "treeCode"
]

const programLawsTable: OptionsTable<typeof laws.programLaws> = {
  jitMatchesEager: (o) => laws.programLaws.jitMatchesEager(o),
  gradMatchesFiniteDifferences: (o) => laws.programLaws.gradMatchesFiniteDifferences(o),
  jvpIsLinear: (o) => laws.programLaws.jvpIsLinear(o),
  vjpIsAdjointOfJvp: (o) => laws.programLaws.vjpIsAdjointOfJvp(o),
  jitGradCommutes: (o) => laws.programLaws.jitGradCommutes(o),
  vmapMatchesStack: (o) => laws.programLaws.vmapMatchesStack(o)
}

const arbTable: OptionsTable<typeof arb> = {
  array: (o) => arb.array(o),
  arrays: (o) => arb.arrays([[2]], o),
  arrayTree: (o) => arb.arrayTree(o),
  broadcastPair: (o) => arb.broadcastPair(o),
  broadcastShapes: (o) => arb.broadcastShapes(o),
  broadcastingArrays: (o) => arb.broadcastingArrays(o),
  element: (o) => arb.element("float32", o),
  key: (o) => arb.key(o),
  pytree: (o) => arb.pytree(fc.constant(1), o),
  shape: (o) => arb.shape(o)
}
const arbNone: NoOptions<typeof arb> = ["broadcastShape", "dtype", "floatDtype", "fromValues", "sizeOf"]

const programsTable: OptionsTable<typeof programs> = {
  elaborate: (o) => programs.elaborate({ tag: "input", pick: 0 }, spec, o),
  program: (o) => programs.program(spec, o),
  programCase: (o) => programs.programCase(o),
  rawExpr: (o) => programs.rawExpr(o)
}
const programsNone: NoOptions<typeof programs> = ["Program", "ProgramCase", "rawSize"]

describe("every function of jaxfx/laws that takes options checks them (an export missing from both lists fails)", () => {
  it("the laws", () => checkNamespace("laws.", laws, lawsTable, lawsNone))
  it("programLaws", () => checkNamespace("laws.programLaws.", laws.programLaws, programLawsTable, []))
  it("arb", () => checkNamespace("arb.", arb, arbTable, arbNone))
  it("programs", () => checkNamespace("programs.", programs, programsTable, programsNone))
})
