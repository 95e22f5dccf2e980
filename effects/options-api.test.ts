import { Effect, Stream } from "effect"
import { mkdtempSync, readdirSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { cpuBackend } from "../backends/cpu/index.js"
import { np } from "../index.js"
import { checkNamespace, type NoOptions, type OptionsTable } from "../core/test-helpers.js"
import * as fx from "./index.js"
import { batchNorm, codec, Device, Init, ModelState, optim, Param, Rng, State, train } from "./index.js"

const x = np.array([[1, 2], [3, 4]], { dtype: "float32" })
const params = { w: x }
const schedule = { initValue: 1, endValue: 0, transitionSteps: 10 }

describe("an unknown option of the Effect layer is a ValueError, thrown at the call, before any Effect runs", () => {
  it("names the function, the valid keys and the closest one", () => {
    expect(() => optim.adam(1e-3, { beta1: 0.9 } as never)).toThrow('optim.adam: unknown option "beta1"; the options are b1, b2, eps, epsRoot, nesterov.')
    expect(() => optim.adamw(1e-3, { weight_decay: 0.1 } as never)).toThrow(/optim\.adamw: unknown option "weight_decay" \(did you mean "weightDecay"\?\)/)
    expect(() => optim.sgd(0.1, { momentun: 0.9 } as never)).toThrow(/optim\.sgd: unknown option "momentun" \(did you mean "momentum"\?\)/)
    expect(() => optim.exponentialDecay({ initValue: 1, transitionSteps: 10, decay_rate: 0.5 } as never)).toThrow(/optim\.exponentialDecay: unknown option "decay_rate" \(did you mean "decayRate"\?\)/)
    expect(() => codec.save("/nonexistent/x.json", params, { fromat: "json" } as never)).toThrow(/codec\.save: unknown option "fromat" \(did you mean "format"\?\); the options are format, metadata\./)
    expect(() => codec.load("/nonexistent/x.json", params, { allowExtras: true } as never)).toThrow(/codec\.load: unknown option "allowExtras" \(did you mean "allowExtra"\?\)/)
    expect(() => Device.put(x, { dtyp: "float64" } as never)).toThrow(/Device\.put: unknown option "dtyp" \(did you mean "dtype"\?\)/)
    expect(() => Rng.uniform([2], { maxVal: 2 } as never)).toThrow(/Rng\.uniform: unknown option "maxVal" \(did you mean "maxval"\?\)/)
    expect(() => Param.get("w", [2], Init.zeros, { dtpye: "float32" } as never)).toThrow(/Param\.get: unknown option "dtpye" \(did you mean "dtype"\?\)/)
    expect(() => batchNorm(x, { isTraining: true, momentum: 0.9 } as never)).toThrow(/batchNorm: unknown option "momentum"; the options are isTraining, decay, eps, name\./)
    expect(() => train.fit({ init: 0, step: (s: number) => [s, 0] as const, data: Stream.make(1), step_count: 3 } as never)).toThrow(
      /train\.fit: unknown option "step_count"; the options are init, step, data, steps\./
    )
    expect(() => train.run({ init: 0, step: (s: number) => [s, 0] as const, data: Stream.make(1), stop_when: Effect.void } as never)).toThrow(
      /train\.run: unknown option "stop_when" \(did you mean "stopWhen"\?\)/
    )
  })

  it("a fixed set of values: an unknown one is a ValueError too", () => {
    expect(() => codec.save("/nonexistent/x.npz", params, { format: "npz" as never })).toThrow(/codec\.save: unknown format "npz"; use one of "json", "safetensors"\./)
    expect(() => optim.masked(optim.sgd(0.1), true, { unmasked: "pass" as never })).toThrow(/optim\.masked: unknown unmasked "pass"/)
  })

  it("a misspelt option writes nothing", () => {
    const dir = mkdtempSync(join(tmpdir(), "jaxfx-options-"))
    expect(() => codec.save(join(dir, "x.json"), params, { metaData: { a: "b" } } as never)).toThrow(/did you mean "metadata"/)
    expect(() => codec.writeFileAtomic(join(dir, "y.bin"), new Uint8Array(3), { chunksize: 1 } as never)).toThrow(/did you mean "chunkSize"/)
    expect(readdirSync(dir)).toEqual([])
  })

  it("a device's own put checks its options too (inside a program: a defect naming the option)", () => {
    const program = Effect.gen(function* () {
      const d = yield* Device
      return yield* d.put(x, { dtpe: "float32" } as never)
    })
    expect(() => Effect.runSync(Effect.provide(program, Device.cpu))).toThrow(/Device\.put: unknown option "dtpe"/)
  })
})

// ---------------------------------------------------------------------------------------------
// Coverage: every export is classified; every one that takes options checks them.

const inner = optim.sgd(0.1)
const fitArgs = { init: 0, step: (s: number) => [s, 0] as const, data: Stream.make(1) }

// The masks of addDecayedWeights and freeze are pytrees of booleans, not options (their leaves are checked to be booleans).
type OptimExcept = "addDecayedWeights" | "freeze"
const optimTable: OptionsTable<typeof optim, OptimExcept> = {
  adam: (o) => optim.adam(0.1, o), adamw: (o) => optim.adamw(0.1, o), rmsprop: (o) => optim.rmsprop(0.1, o), sgd: (o) => optim.sgd(0.1, o),
  scaleByAdam: (o) => optim.scaleByAdam(o), scaleByRms: (o) => optim.scaleByRms(o), scaleByStddev: (o) => optim.scaleByStddev(o),
  scaleByLearningRate: (o) => optim.scaleByLearningRate(0.1, o), trace: (o) => optim.trace(0.9, o), masked: (o) => optim.masked(inner, true, o),
  polynomialSchedule: (o) => optim.polynomialSchedule({ ...schedule, power: 2, ...(o as object) }),
  linearSchedule: (o) => optim.linearSchedule({ ...schedule, ...(o as object) }),
  exponentialDecay: (o) => optim.exponentialDecay({ initValue: 1, transitionSteps: 10, decayRate: 0.5, ...(o as object) }),
  cosineDecaySchedule: (o) => optim.cosineDecaySchedule({ initValue: 1, decaySteps: 10, ...(o as object) }),
  warmupCosineDecaySchedule: (o) => optim.warmupCosineDecaySchedule({ initValue: 0, peakValue: 1, warmupSteps: 2, decaySteps: 10, ...(o as object) })
}
const optimNone: NoOptions<typeof optim, OptimExcept> = [
  "addDecayedWeights", "applyUpdates", "chain", "clipByGlobalNorm", "constantSchedule", "freeze", "globalNorm", "identity", "joinSchedules",
  "safeIncrement", "scale", "scaleBySchedule", "setToZero"
]

const codecTable: OptionsTable<typeof codec> = {
  save: (o) => codec.save("/nonexistent/x.json", params, o), load: (o) => codec.load("/nonexistent/x.json", params, o),
  encodeJson: (o) => codec.encodeJson(params, o), decodeJson: (o) => codec.decodeJson("{}", params, o),
  encodeSafetensors: (o) => codec.encodeSafetensors(params, o), decodeSafetensors: (o) => codec.decodeSafetensors(new Uint8Array(8), params, o),
  parseJson: (o) => codec.parseJson("1", o), writeFileAtomic: (o) => codec.writeFileAtomic("/nonexistent/x.bin", new Uint8Array(1), o)
}
const codecNone: NoOptions<typeof codec> = ["decodeWith", "formatOf", "leafName", "parseJsonCheckpoint", "parseSafetensors", "toResult"]

const trainTable: OptionsTable<typeof train> = {
  fit: (o) => train.fit({ ...fitArgs, ...(o as object) }), run: (o) => train.run({ ...fitArgs, ...(o as object) })
}
const trainNone: NoOptions<typeof train> = ["Progress", "TrainError", "TrainInterrupted", "barReporter", "logReporter"]

const rngTable: OptionsTable<typeof Rng> = { normal: (o) => Rng.normal([2], o), uniform: (o) => Rng.uniform([2], o) }
const rngNone: NoOptions<typeof Rng> = ["bernoulli", "run", "sample", "split"]

// checkCompatible compares two values of any type (unknown parameters, not options).
const stateNone: NoOptions<typeof State> = ["Cell", "atomic", "checkCompatible", "slot"]

const effectsTable: OptionsTable<typeof fx> = { batchNorm: (o) => batchNorm(x, { isTraining: true, ...(o as object) }) }
const effectsNone: NoOptions<typeof fx> = ["Device", "Model", "module", "transform", "transformWithState"]

const deviceStatics = Object.fromEntries(
  Object.getOwnPropertyNames(Device).filter((k) => typeof (Device as unknown as Record<string, unknown>)[k] === "function").map((k) => [k, (Device as unknown as Record<string, unknown>)[k]])
)

describe("every function of the Effect layer that takes options checks them (an export missing from both lists fails)", () => {
  it("optim", () => checkNamespace("optim.", optim, optimTable, optimNone))
  it("codec", () => checkNamespace("codec.", codec, codecTable, codecNone))
  it("train", () => checkNamespace("train.", train, trainTable, trainNone))
  it("Rng", () => checkNamespace("Rng.", Rng, rngTable, rngNone))
  it("State", () => checkNamespace("State.", State, {}, stateNone))
  it("the package's own exports", () => checkNamespace("", fx, effectsTable, effectsNone))
  it("Device", () =>
    checkNamespace("Device.", deviceStatics, {
      put: (o: never) => Device.put(x, o),
      layer: (o: never) => Device.layer({ acquire: Effect.succeed(cpuBackend), ...(o as object) }),
      fromBackend: (o: never) => Device.fromBackend(cpuBackend, o)
    }, ["read", "blockUntilReady"]))
  it("Param, ModelState and Init", async () => {
    await checkNamespace("Param.", Param, { get: (o: never) => Param.get("w", [2], Init.zeros, o) }, [])
    await checkNamespace("ModelState.", ModelState, { get: (o: never) => ModelState.get("m", [2], Init.zeros, o) }, ["set"])
    await checkNamespace("Init.", Init, {}, ["zeros", "ones", "constant", "normal", "truncatedNormal", "glorotUniform"])
  })
})
