import { Effect, Stream } from "effect"
import { readdirSync } from "node:fs"
import { join } from "node:path"
import { describe, expect, it } from "vitest"
import { devices, nn, np } from "../index.js"
import { checkNamespace, type NoOptions, type OptionsTable } from "../core/test-helpers.js"
import { tempDir } from "../testing/temp-dir.js"
import * as fx from "./index.js"
import { batchNorm, codec, Device, Init, ModelState, optim, Param, Rng, State, train } from "./index.js"

const x = np.array(
  [
    [1, 2],
    [3, 4]
  ],
  { dtype: "float32" }
)
const params = { w: x }
const schedule = { initValue: 1, endValue: 0, transitionSteps: 10 }
const logits = np.array(
  [
    [1, 2, 3],
    [3, 2, 1]
  ],
  { dtype: "float32" }
)
const probs = np.array(
  [
    [0.2, 0.3, 0.5],
    [0.5, 0.3, 0.2]
  ],
  { dtype: "float32" }
)

describe("an unknown option of the Effect layer is a ValueError, thrown at the call, before any Effect runs", () => {
  it("names the function, the valid keys and the closest one", () => {
    expect(() => optim.adam(1e-3, { beta1: 0.9 } as never)).toThrow('optim.adam: unknown option "beta1"; the options are b1, b2, eps, epsRoot, nesterov.')
    expect(() => optim.adamw(1e-3, { weight_decay: 0.1 } as never)).toThrow(/optim\.adamw: unknown option "weight_decay" \(did you mean "weightDecay"\?\)/)
    expect(() => optim.sgd(0.1, { momentun: 0.9 } as never)).toThrow(/optim\.sgd: unknown option "momentun" \(did you mean "momentum"\?\)/)
    expect(() => optim.exponentialDecay({ initValue: 1, transitionSteps: 10, decay_rate: 0.5 } as never)).toThrow(
      /optim\.exponentialDecay: unknown option "decay_rate" \(did you mean "decayRate"\?\)/
    )
    expect(() => codec.save("/nonexistent/x.json", params, { fromat: "json" } as never)).toThrow(
      /codec\.save: unknown option "fromat" \(did you mean "format"\?\); the options are format, metadata\./
    )
    expect(() => codec.load("/nonexistent/x.json", params, { allowExtras: true } as never)).toThrow(
      /codec\.load: unknown option "allowExtras" \(did you mean "allowExtra"\?\)/
    )
    expect(() => Device.put(x, { dtyp: "float64" } as never)).toThrow(/Device\.put: unknown option "dtyp" \(did you mean "dtype"\?\)/)
    expect(() => Rng.uniform([2], { maxVal: 2 } as never)).toThrow(/Rng\.uniform: unknown option "maxVal" \(did you mean "maxval"\?\)/)
    expect(() => Param.get("w", [2], Init.zeros, { dtpye: "float32" } as never)).toThrow(/Param\.get: unknown option "dtpye" \(did you mean "dtype"\?\)/)
    expect(() => batchNorm(x, { isTraining: true, momentum: 0.9 } as never)).toThrow(
      /batchNorm: unknown option "momentum"; the options are isTraining, decay, eps, name\./
    )
    expect(() => train.fit({ init: 0, step: (s: number) => [s, 0] as const, data: Stream.make(1), step_count: 3 } as never)).toThrow(
      /train\.fit: unknown option "step_count"; the options are init, step, data, steps, jsonLines, log\./
    )
    expect(() => train.run({ init: 0, step: (s: number) => [s, 0] as const, data: Stream.make(1), stop_when: Effect.void } as never)).toThrow(
      /train\.run: unknown option "stop_when" \(did you mean "stopWhen"\?\)/
    )
  })

  it("the optimizers, transformations, schedules and losses ported from optax", () => {
    expect(() => optim.lamb(1e-3, { weight_decay: 0.1 } as never)).toThrow(
      'optim.lamb: unknown option "weight_decay" (did you mean "weightDecay"?); the options are weightDecay, mask, b1, b2, eps, epsRoot.'
    )
    expect(() => optim.nadam(1e-3, { nesterov: false } as never)).toThrow(/optim\.nadam: unknown option "nesterov"; the options are b1, b2, eps, epsRoot\./)
    expect(() => optim.adafactor(1e-3, { clipThreshold: 1 } as never)).toThrow(
      /optim\.adafactor: unknown option "clipThreshold" \(did you mean "clippingThreshold"\?\)/
    )
    expect(() => optim.cosineOnecycleSchedule(100, 0.1, { pct_start: 0.2 } as never)).toThrow(
      /optim\.cosineOnecycleSchedule: unknown option "pct_start" \(did you mean "pctStart"\?\)/
    )
    expect(() => optim.sgdrSchedule([{ initValue: 0, peakValue: 1, warmupSteps: 2, decaySteps: 10, endvalue: 0 } as never])).toThrow(
      /optim\.sgdrSchedule \(cycle 0\): unknown option "endvalue" \(did you mean "endValue"\?\)/
    )
    expect(() => optim.losses.softmaxCrossEntropy(logits, probs, { axes: -1 } as never)).toThrow(
      /optim\.losses\.softmaxCrossEntropy: unknown option "axes" \(did you mean "axis"\?\)/
    )
    expect(() => optim.losses.huberLoss(probs, probs, { delt: 1 } as never)).toThrow(
      /optim\.losses\.huberLoss: unknown option "delt" \(did you mean "delta"\?\)/
    )
  })

  it("a composite passes on to its parts only the options they take", () => {
    // Each part checks its own options, so a composite's own keys must not reach it.
    expect(() => optim.adamaxw(0.1, { weightDecay: 0.1, b1: 0.8 })).not.toThrow()
    expect(() => optim.adan(0.1, { weightDecay: 0.1, b3: 0.9 })).not.toThrow()
    expect(() => optim.optimisticAdamV2(0.1, { alpha: 0.5, beta: 0.5, b1: 0.8 })).not.toThrow()
    expect(() => optim.polyakSgd({ scaling: 0.5, fMin: 0 })).not.toThrow()
    expect(() => optim.adadelta(0.1, { weightDecay: 0.1, rho: 0.8 })).not.toThrow()
    expect(() => optim.nadamw(0.1, { weightDecay: 0.1, b1: 0.8 })).not.toThrow()
    expect(() => optim.losses.polyLossCrossEntropy(logits, probs, { epsilon: 1, axis: -1 })).not.toThrow()
  })

  it("a fixed set of values: an unknown one is a ValueError too", () => {
    expect(() => codec.save("/nonexistent/x.npz", params, { format: "npz" as never })).toThrow(
      /codec\.save: unknown format "npz"; use one of "json", "safetensors"\./
    )
    expect(() => optim.masked(optim.sgd(0.1), true, { unmasked: "pass" as never })).toThrow(/optim\.masked: unknown unmasked "pass"/)
    expect(() => optim.scaleByLion({ mode: "smoth" as never })).toThrow(
      /optim\.scaleByLion: unknown mode "smoth" \(did you mean "smooth"\?\); use one of "hard", "smooth", "refined"\./
    )
    expect(() => optim.scaleByPolyak({ variant: "sps-" as never })).toThrow(/optim\.scaleByPolyak: unknown variant "sps-" \(did you mean "sps"\?\)/)
    expect(() => optim.scaleByZoomLinesearch(5, { initialGuessStrategy: "last" as never })).toThrow(
      /optim\.scaleByZoomLinesearch: unknown initialGuessStrategy "last"/
    )
    expect(() => optim.piecewiseInterpolateSchedule("cosin" as never, 1, {})).toThrow(
      /optim\.piecewiseInterpolateSchedule: unknown interpolateType "cosin" \(did you mean "cosine"\?\)/
    )
    // Checked at the call, before any computation.
    expect(() => optim.losses.diceLoss(logits, probs, { reduction: "avg" as never })).toThrow(
      /optim\.losses\.diceLoss: unknown reduction "avg"; use one of "mean", "sum", "none"\./
    )
  })

  it("a misspelt option writes nothing", () => {
    const dir = tempDir("jaxfx-options-")
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

// The masks of addDecayedWeights and freeze are pytrees of booleans, not options (their leaves are checked to be booleans);
// the piecewise schedules take a map from steps to scales, and multiTransform, partition and namedChain records of transformations.
type OptimExcept = "addDecayedWeights" | "freeze" | "piecewiseConstantSchedule" | "piecewiseInterpolateSchedule" | "multiTransform" | "partition" | "namedChain"
const always = (): boolean => true
const optimTable: OptionsTable<typeof optim, OptimExcept> = {
  adam: (o) => optim.adam(0.1, o),
  adamw: (o) => optim.adamw(0.1, o),
  rmsprop: (o) => optim.rmsprop(0.1, o),
  sgd: (o) => optim.sgd(0.1, o),
  scaleByAdam: (o) => optim.scaleByAdam(o),
  scaleByRms: (o) => optim.scaleByRms(o),
  scaleByStddev: (o) => optim.scaleByStddev(o),
  scaleByLearningRate: (o) => optim.scaleByLearningRate(0.1, o),
  trace: (o) => optim.trace(0.9, o),
  masked: (o) => optim.masked(inner, true, o),
  polynomialSchedule: (o) => optim.polynomialSchedule({ ...schedule, power: 2, ...(o as object) }),
  linearSchedule: (o) => optim.linearSchedule({ ...schedule, ...(o as object) }),
  exponentialDecay: (o) => optim.exponentialDecay({ initValue: 1, transitionSteps: 10, decayRate: 0.5, ...(o as object) }),
  cosineDecaySchedule: (o) => optim.cosineDecaySchedule({ initValue: 1, decaySteps: 10, ...(o as object) }),
  warmupCosineDecaySchedule: (o) => optim.warmupCosineDecaySchedule({ initValue: 0, peakValue: 1, warmupSteps: 2, decaySteps: 10, ...(o as object) }),
  warmupConstantSchedule: (o) => optim.warmupConstantSchedule({ initValue: 0, peakValue: 1, warmupSteps: 2, ...(o as object) }),
  warmupExponentialDecaySchedule: (o) =>
    optim.warmupExponentialDecaySchedule({ initValue: 0, peakValue: 1, warmupSteps: 2, transitionSteps: 10, decayRate: 0.5, ...(o as object) }),
  sgdrSchedule: [(o) => optim.sgdrSchedule([{ initValue: 0, peakValue: 1, warmupSteps: 2, decaySteps: 10, ...(o as object) }]), "optim.sgdrSchedule (cycle 0)"],
  linearOnecycleSchedule: (o) => optim.linearOnecycleSchedule(100, 0.1, o),
  cosineOnecycleSchedule: (o) => optim.cosineOnecycleSchedule(100, 0.1, o),
  scaleByAdamax: (o) => optim.scaleByAdamax(o),
  scaleByAdan: (o) => optim.scaleByAdan(o),
  scaleByAmsgrad: (o) => optim.scaleByAmsgrad(o),
  scaleByBelief: (o) => optim.scaleByBelief(o),
  scaleByLion: (o) => optim.scaleByLion(o),
  scaleByNovograd: (o) => optim.scaleByNovograd(o),
  scaleByRadam: (o) => optim.scaleByRadam(o),
  scaleByYogi: (o) => optim.scaleByYogi(o),
  normalizeByUpdateNorm: (o) => optim.normalizeByUpdateNorm(o),
  scaleByAdadelta: (o) => optim.scaleByAdadelta(o),
  scaleByOptimisticGradient: (o) => optim.scaleByOptimisticGradient(o),
  scaleByPolyak: (o) => optim.scaleByPolyak(o),
  scaleByRss: (o) => optim.scaleByRss(o),
  scaleBySm3: (o) => optim.scaleBySm3(o),
  scaleByTrustRatio: (o) => optim.scaleByTrustRatio(o),
  scaleByFactoredRms: (o) => optim.scaleByFactoredRms(o),
  scaleByLbfgs: (o) => optim.scaleByLbfgs(o),
  scaleByRprop: (o) => optim.scaleByRprop(0.1, o),
  adaptiveGradClip: (o) => optim.adaptiveGradClip(0.1, o),
  ema: (o) => optim.ema(0.9, o),
  MultiSteps: (o) => new optim.MultiSteps(inner, 2, o),
  conditionallyMask: (o) => optim.conditionallyMask(inner, always, o),
  conditionallyTransform: (o) => optim.conditionallyTransform(inner, always, o),
  lookahead: (o) => optim.lookahead(inner, 2, 0.5, o),
  scaleByBacktrackingLinesearch: (o) => optim.scaleByBacktrackingLinesearch(5, o),
  scaleByZoomLinesearch: (o) => optim.scaleByZoomLinesearch(5, o),
  injectHyperparams: (o) => optim.injectHyperparams((h) => optim.sgd(h.learningRate), { learningRate: 0.1 }, o),
  lbfgs: (o) => optim.lbfgs(o),
  polyakSgd: (o) => optim.polyakSgd(o),
  adabelief: (o) => optim.adabelief(0.1, o),
  adamax: (o) => optim.adamax(0.1, o),
  adamaxw: (o) => optim.adamaxw(0.1, o),
  adan: (o) => optim.adan(0.1, o),
  amsgrad: (o) => optim.amsgrad(0.1, o),
  lamb: (o) => optim.lamb(0.1, o),
  lion: (o) => optim.lion(0.1, o),
  nadam: (o) => optim.nadam(0.1, o),
  nadamw: (o) => optim.nadamw(0.1, o),
  novograd: (o) => optim.novograd(0.1, o),
  optimisticAdamV2: (o) => optim.optimisticAdamV2(0.1, o),
  radam: (o) => optim.radam(0.1, o),
  yogi: (o) => optim.yogi(0.1, o),
  adadelta: (o) => optim.adadelta(0.1, o),
  adafactor: (o) => optim.adafactor(0.1, o),
  adagrad: (o) => optim.adagrad(0.1, o),
  fromage: (o) => optim.fromage(0.1, o),
  lars: (o) => optim.lars(0.1, o),
  noisySgd: (o) => optim.noisySgd(0.1, o),
  optimisticGradientDescent: (o) => optim.optimisticGradientDescent(0.1, o),
  rprop: (o) => optim.rprop(0.1, o),
  signum: (o) => optim.signum(0.1, o),
  sm3: (o) => optim.sm3(0.1, o)
}
const optimNone: NoOptions<typeof optim, OptimExcept> = [
  "addDecayedWeights",
  "applyUpdates",
  "chain",
  "clipByGlobalNorm",
  "constantSchedule",
  "freeze",
  "globalNorm",
  "identity",
  "joinSchedules",
  "safeIncrement",
  "scale",
  "scaleBySchedule",
  "setToZero",
  "piecewiseConstantSchedule",
  "piecewiseInterpolateSchedule",
  "multiTransform",
  "partition",
  "namedChain",
  "centralize",
  "scaleByParamBlockNorm",
  "scaleByParamBlockRms",
  "scaleBySign",
  "clip",
  "clipByBlockRms",
  "keepParamsNonnegative",
  "zeroNans",
  "addNoise",
  "applyEvery",
  "skipLargeUpdates",
  "skipNotFinite",
  "applyIfFinite",
  "lookaheadParams",
  "valueAndGradFromState",
  "signSgd"
]

const L = optim.losses
const labels = np.array([2, 0], { dtype: "int32" })
const paddings = np.zeros([2, 3], { dtype: "float32" })
// convexKlDivergence is optax's alias of generalizedKlDivergence (the message names the latter).
const lossesTable: OptionsTable<typeof L> = {
  softmaxCrossEntropy: (o) => L.softmaxCrossEntropy(logits, probs, o),
  softmaxCrossEntropyWithIntegerLabels: (o) => L.softmaxCrossEntropyWithIntegerLabels(logits, labels, o),
  sigmoidFocalLoss: (o) => L.sigmoidFocalLoss(logits, probs, o),
  polyLossCrossEntropy: (o) => L.polyLossCrossEntropy(logits, probs, o),
  klDivergence: (o) => L.klDivergence(np.log(probs), probs, o),
  klDivergenceWithLogTargets: (o) => L.klDivergenceWithLogTargets(np.log(probs), np.log(probs), o),
  generalizedKlDivergence: (o) => L.generalizedKlDivergence(np.log(probs), probs, o),
  convexKlDivergence: [(o) => L.convexKlDivergence(np.log(probs), probs, o), "optim.losses.generalizedKlDivergence"],
  ctcLoss: (o) => L.ctcLoss(np.stack([logits, logits], 1), np.zeros([2, 2]), np.array([[1], [2]]), np.zeros([2, 1]), o),
  ctcLossWithForwardProbs: (o) => L.ctcLossWithForwardProbs(np.stack([logits, logits], 1), np.zeros([2, 2]), np.array([[1], [2]]), np.zeros([2, 1]), o),
  huberLoss: (o) => L.huberLoss(probs, probs, o),
  cosineSimilarity: (o) => L.cosineSimilarity(probs, probs, o),
  cosineDistance: (o) => L.cosineDistance(probs, probs, o),
  diceLoss: (o) => L.diceLoss(logits, probs, o),
  multiclassGeneralizedDiceLoss: (o) => L.multiclassGeneralizedDiceLoss(logits, probs, o),
  binaryDiceLoss: (o) => L.binaryDiceLoss(logits, probs, o),
  tripletMarginLoss: (o) => L.tripletMarginLoss(probs, probs, paddings, o),
  smoothLabels: (o) => L.smoothLabels(probs, 0.1, o)
}
const lossesNone: NoOptions<typeof L> = [
  "hingeLoss",
  "multiclassHingeLoss",
  "multiclassPerceptronLoss",
  "perceptronLoss",
  "safeSoftmaxCrossEntropy",
  "sigmoidBinaryCrossEntropy",
  "sparsemaxLoss",
  "l2Loss",
  "logCosh",
  "squaredError",
  "ntxent"
]

// memoryFileSystem's and layerMemory's parameter is a record of files (paths are its keys), not options.
type CodecFiles = "memoryFileSystem" | "layerMemory"
const codecTable: OptionsTable<typeof codec, CodecFiles> = {
  save: (o) => codec.save("/nonexistent/x.json", params, o),
  load: (o) => codec.load("/nonexistent/x.json", params, o),
  encodeJson: (o) => codec.encodeJson(params, o),
  decodeJson: (o) => codec.decodeJson("{}", params, o),
  encodeSafetensors: (o) => codec.encodeSafetensors(params, o),
  decodeSafetensors: (o) => codec.decodeSafetensors(new Uint8Array(8), params, o),
  parseJson: (o) => codec.parseJson("1", o),
  writeFileAtomic: (o) => codec.writeFileAtomic("/nonexistent/x.bin", new Uint8Array(1), o),
  toBytes: (o) => codec.toBytes(params, o),
  fromBytes: (o) => codec.fromBytes(new Uint8Array(8), params, o),
  toBlob: (o) => codec.toBlob(params, o),
  fromBlob: (o) => codec.fromBlob(new Blob([]), params, o)
}
// removeStaleTemporaries' and readCheckpointFile's second parameters are an age and a size (numbers).
const codecNone: NoOptions<typeof codec, CodecFiles> = [
  "decodeWith",
  "formatOf",
  "leafName",
  "parseJsonCheckpoint",
  "parseSafetensors",
  "toResult",
  "removeStaleTemporaries",
  "readCheckpointFile",
  "memoryFileSystem",
  "layerMemory",
  "nodeFileSystem"
]

const trainTable: OptionsTable<typeof train> = {
  fit: (o) => train.fit({ ...fitArgs, ...(o as object) }),
  run: (o) => train.run({ ...fitArgs, ...(o as object) })
}
const trainNone: NoOptions<typeof train> = ["Progress", "TrainError", "TrainInterrupted", "barReporter", "logReporter", "metricFields"]

const rngTable: OptionsTable<typeof Rng> = { normal: (o) => Rng.normal([2], o), uniform: (o) => Rng.uniform([2], o) }
const rngNone: NoOptions<typeof Rng> = ["bernoulli", "run", "sample", "split"]

// checkCompatible compares two values of any type (unknown parameters, not options).
const stateNone: NoOptions<typeof State> = ["Cell", "atomic", "checkCompatible", "slot"]

const effectsTable: OptionsTable<typeof fx> = {
  batchNorm: (o) => batchNorm(x, { isTraining: true, ...(o as object) }),
  BatchNorm: (o) => fx.BatchNorm(o),
  LayerNorm: (o) => fx.LayerNorm(o),
  RMSNorm: (o) => fx.RMSNorm(o),
  GroupNorm: (o) => fx.GroupNorm({ groups: 1, ...(o as object) }),
  Linear: (o) => fx.Linear({ outputSize: 2, ...(o as object) }),
  Dropout: (o) => fx.Dropout({ rate: 0.5, ...(o as object) }),
  Embed: (o) => fx.Embed({ vocabSize: 3, embedDim: 2, ...(o as object) }),
  MultiHeadAttention: (o) => fx.MultiHeadAttention({ numHeads: 1, keySize: 2, ...(o as object) }),
  MLP: (o) => fx.MLP({ outputSizes: [2], ...(o as object) }),
  Conv1D: (o) => fx.Conv1D({ outputChannels: 2, kernelShape: 3, ...(o as object) }),
  Conv2D: (o) => fx.Conv2D({ outputChannels: 2, kernelShape: 3, ...(o as object) }),
  Conv3D: (o) => fx.Conv3D({ outputChannels: 2, kernelShape: 3, ...(o as object) }),
  Conv1DTranspose: (o) => fx.Conv1DTranspose({ outputChannels: 2, kernelShape: 3, ...(o as object) }),
  Conv2DTranspose: (o) => fx.Conv2DTranspose({ outputChannels: 2, kernelShape: 3, ...(o as object) }),
  Conv3DTranspose: (o) => fx.Conv3DTranspose({ outputChannels: 2, kernelShape: 3, ...(o as object) }),
  MaxPool: (o) => fx.MaxPool({ windowShape: 2, strides: 2, padding: "VALID", ...(o as object) }),
  AvgPool: (o) => fx.AvgPool({ windowShape: 2, strides: 2, padding: "VALID", ...(o as object) })
}
const effectsNone: NoOptions<typeof fx> = ["Device", "Model", "module", "transform", "transformWithState", "withParamPaths", "Sequential", "isLayer"]

const deviceStatics = Object.fromEntries(
  Object.getOwnPropertyNames(Device)
    .filter((k) => typeof (Device as unknown as Record<string, unknown>)[k] === "function")
    .map((k) => [k, (Device as unknown as Record<string, unknown>)[k]])
)

describe("every function of the Effect layer that takes options checks them (an export missing from both lists fails)", () => {
  it("optim", () => checkNamespace("optim.", optim, optimTable, optimNone))
  it("optim.losses", () => checkNamespace("optim.losses.", L, lossesTable, lossesNone))
  it("codec", () => checkNamespace("codec.", codec, codecTable, codecNone))
  it("train", () => checkNamespace("train.", train, trainTable, trainNone))
  it("Rng", () => checkNamespace("Rng.", Rng, rngTable, rngNone))
  it("State", () => checkNamespace("State.", State, {}, stateNone))
  it("the package's own exports", () => checkNamespace("", fx, effectsTable, effectsNone))
  it("Device", () =>
    checkNamespace(
      "Device.",
      deviceStatics,
      {
        put: (o: never) => Device.put(x, o),
        layer: (o: never) => Device.layer({ acquire: Effect.sync(() => devices()[0]!), ...(o as object) }),
        on: (o: never) => Device.on(devices()[0]!, o)
      },
      ["read", "blockUntilReady", "scoped", "warmup"]
    ))
  it("Param, ModelState and Init", async () => {
    await checkNamespace("Param.", Param, { get: (o: never) => Param.get("w", [2], Init.zeros, o) }, [])
    await checkNamespace("ModelState.", ModelState, { get: (o: never) => ModelState.get("m", [2], Init.zeros, o) }, ["set"])
    expect(Init).toBe(nn.initializers) // checked with the core's namespaces
  })
})
