/**
 * `jaxfx/laws`: property-based laws of jaxfx's transformations, for the project's own suite and
 * for users' functions, models and (later) custom rules and primitives.
 *
 * - `arb`: fast-check arbitraries for shapes, broadcast-compatible shapes, dtypes, arrays with
 *   value ranges, and pytrees.
 * - `programs`: random array programs (well-typed compositions of jaxfx operations) that shrink
 *   to the smallest failing program.
 * - the laws (`jitMatchesEager`, `gradMatchesFiniteDifferences`, `jvpIsLinear`,
 *   `vjpIsAdjointOfJvp`, `jitGradCommutes`, `vmapMatchesStack`, `treeRoundTrip`), `programLaws`
 *   (the same on random programs), `scalarize` (a loss of any function, for the gradient laws),
 *   and `check`, which runs a law and throws a readable `LawFailure` (`checkAsync` for laws
 *   whose subject answers with promises).
 * - PRNG laws (`splitIsDeterministic`, `splitKeysDistinct`, `foldInDistinct`,
 *   `samplerDeterministic`), state laws (`stateJitInvariance`, `setThenGet`), backend
 *   equivalence (`backendsAgree`, `backendsAgreeAsync`, with devices from `onDevice` and
 *   `cpuDevices`), and laws for the extension points (`customRuleMatchesFiniteDifferences`,
 *   `customJvpVjpAgree`, `primitiveRulesHold`).
 *
 * @example
 * import { np, type Array } from "jaxfx"
 * import * as laws from "jaxfx/laws"
 * const loss = (w: Array) => np.sum(np.tanh(w).mul(w))
 * laws.check(laws.gradMatchesFiniteDifferences(loss, [laws.arb.array({ shape: [3] })]), { seed: 7 })
 */
export * as arb from "./arbitraries.js"
export * as programs from "./programs.js"
export type { Pytree } from "./arbitraries.js"
export type { Program, ProgramCase, ProgramOptions } from "./programs.js"
export { arrayCode, type Comparison, formatNumber, type Tolerance, treeCode } from "./format.js"
export {
  type AdjointOptions,
  type Arbitraries,
  type AsyncLawProperty,
  check,
  checkAsync,
  type CheckOptions,
  type CommuteOptions,
  Described,
  type GradLawOptions,
  type GradLike,
  gradMatchesFiniteDifferences,
  jitGradCommutes,
  type JitLawOptions,
  type JitLike,
  jitMatchesEager,
  jvpIsLinear,
  type JvpLike,
  LawCase,
  LawFailure,
  type LawProperty,
  LawViolation,
  type LinearityOptions,
  type ProgramLawOptions,
  programLaws,
  scalarize,
  type TreeFunctions,
  treeRoundTrip,
  vjpIsAdjointOfJvp,
  type VjpLike,
  type VmapLawOptions,
  type VmapLike,
  vmapMatchesStack
} from "./laws.js"
export {
  type DistinctSplitOptions,
  foldInDistinct,
  type FoldInLawOptions,
  type KeyFunctions,
  keyCode,
  samplerDeterministic,
  type SamplerLawOptions,
  splitIsDeterministic,
  splitKeysDistinct,
  type SplitLawOptions
} from "./random.js"
export {
  type AnySlot,
  setThenGet,
  type SetThenGetOptions,
  type SlotFactory,
  stateJitInvariance,
  type StateLawOptions,
  type StateOp,
  stateProgram,
  type StateProgramCase,
  stateProgramCase,
  stateProgramCode,
  type StateProgramOptions,
  type StatefulSubject,
  type StateStep
} from "./state.js"
export { type BackendLawOptions, backendsAgree, backendsAgreeAsync, cpuDevices, type LawDevice, onDevice, type OnDeviceOptions } from "./backends.js"
export {
  customJvpVjpAgree,
  type CustomRuleOptions,
  customRuleMatchesFiniteDifferences,
  type JvpVjpOptions,
  type PrimitiveLawOptions,
  type PrimitiveRule,
  primitiveRulesHold
} from "./extension.js"
