import { describe, expect, it } from "vitest"
import {
  Array, checkpoint, customJvp, customVjp, debug, grad, hessian, jacfwd, jacrev, jit, lax, makeJaxpr, nn, np, random, tree,
  ValueError, valueAndGrad, vmap
} from "../index.js"
import * as root from "../index.js"
import { BOGUS, checkNamespace, type NoOptions, type OptionsTable } from "./test-helpers.js"

// Small valid leading arguments for every function that takes options.
const x = np.array([[1, 2], [3, 4]], { dtype: "float32" })
const v = np.array([1, 2, 3], { dtype: "float32" })
const key = random.key(0)
const f = (a: Array) => np.sum(a.mul(a))

describe("an unknown option is a ValueError naming the function, the valid keys and the closest one", () => {
  it("the issue's examples: np.sum's axes, grad's argnum, vmap's axisName", () => {
    expect(() => np.sum(x, { axes: 0 } as never)).toThrow(ValueError)
    expect(() => np.sum(x, { axes: 0 } as never)).toThrow('np.sum: unknown option "axes" (did you mean "axis"?); the options are axis, keepdims, dtype.')
    expect(() => x.sum({ axes: 0 } as never)).toThrow(/np\.sum: unknown option "axes" \(did you mean "axis"\?\)/)
    const g = (a: Array, b: Array) => np.sum(a.mul(b))
    expect(() => grad(g, { argnum: 1 } as never)).toThrow('grad: unknown option "argnum" (did you mean "argnums"?); the options are argnums, hasAux.')
    expect(() => valueAndGrad(g, { has_aux: true } as never)).toThrow(/valueAndGrad: unknown option "has_aux" \(did you mean "hasAux"\?\)/)
    // Named axes belong to collectives (lax.psum, ...), which come with pmap: refused, never ignored.
    expect(() => vmap(f, { axisName: "i" } as never)).toThrow(ValueError)
    expect(() => vmap(f, { axisName: "i" } as never)).toThrow(/vmap: axisName is not supported yet.*lax\.psum.*pmap.*inAxes, outAxes, axisSize, stateAxes/)
    expect(() => vmap(f, { inAxis: 0 } as never)).toThrow(/vmap: unknown option "inAxis" \(did you mean "inAxes"\?\)/)
  })

  it("in every namespace, with the closest key", () => {
    expect(() => lax.scan((c: Array, a: Array) => [c.add(a), a] as const, np.array(0), np.arange(3), { revers: true } as never)).toThrow(
      'lax.scan: unknown option "revers" (did you mean "reverse"?); the options are length, reverse.'
    )
    expect(() => nn.softmax(x, { axes: 0 } as never)).toThrow('nn.softmax: unknown option "axes" (did you mean "axis"?); the options are axis.')
    expect(() => random.uniform(key, [2], { minVal: -1 } as never)).toThrow(/random\.uniform: unknown option "minVal" \(did you mean "minval"\?\); the options are dtype, minval, maxval\./)
    expect(() => random.normal(key, [2], { dtyp: "float32" } as never)).toThrow(/random\.normal: unknown option "dtyp" \(did you mean "dtype"\?\)/)
    expect(() => tree.flatten([1], { is_leaf: () => false } as never)).toThrow(/tree\.flatten: unknown option "is_leaf" \(did you mean "isLeaf"\?\)/)
    expect(() => jit(f, { static_argnums: 0 } as never)).toThrow(/jit: unknown option "static_argnums" \(did you mean "staticArgnums"\?\); the options are staticArgnums, staticArgnames, name, cacheSize\./)
    expect(() => jacrev(f, { argnum: 0 } as never)).toThrow(/jacrev: unknown option "argnum" \(did you mean "argnums"\?\)/)
    expect(() => makeJaxpr(f, { cacheSize: 8 } as never)).toThrow(/makeJaxpr: unknown option "cacheSize"; the options are staticArgnums, staticArgnames\./)
    expect(() => np.concatenate([x, x], { axes: 1 } as never)).toThrow(/np\.concatenate: unknown option "axes" \(did you mean "axis"\?\)/)
    expect(() => np.clip(x, { mn: 0 } as never)).toThrow(/np\.clip: unknown option "mn" \(did you mean "min"\?\)/)
  })

  it("an options argument that is not a plain object is refused", () => {
    expect(() => np.sum(x, 0 as never)).toThrow(/np\.sum: the options must be a plain object such as \{ axis: \.\.\. \}, got number 0/)
    expect(() => grad(f, [0] as never)).toThrow(/grad: the options must be a plain object .* got a list/)
  })

  it("a fixed set of values: an unknown one is a ValueError too", () => {
    expect(() => random.gumbel(key, [2], { mode: "hi" as never })).toThrow(/random\.gumbel: unknown mode "hi" \(did you mean "high"\?\); use one of "low", "high"\./)
    expect(() => random.categorical(key, x, { mode: "lo" as never })).toThrow(/random\.categorical: unknown mode "lo"/)
    expect(() => np.pad(v, 1, { mode: "mirror" as never })).toThrow(ValueError)
    expect(() => np.take(v, [0], { mode: "wrapp" as never })).toThrow(ValueError)
    expect(() => np.convolve(v, v, { mode: "ful" as never })).toThrow(ValueError)
    expect(() => random.multivariateNormal(key, v, np.eye(3), { method: "svd" as never })).toThrow(ValueError)
  })

  it("leaves the arrays it was given unchanged", () => {
    expect(() => np.sum(x, { axes: 0 } as never)).toThrow(ValueError)
    expect(x.toJs()).toEqual([[1, 2], [3, 4]])
  })
})

// ---------------------------------------------------------------------------------------------
// Coverage: every export is classified; every one that takes options checks them.

const npTable: OptionsTable<typeof np> = {
  arange: (o) => np.arange(3, o), array: (o) => np.array([1], o), asarray: (o) => np.asarray([1], o), eye: (o) => np.eye(2, 2, o),
  full: (o) => np.full([2], 1, o), fullLike: (o) => np.fullLike(x, 1, o), identity: (o) => np.identity(2, o),
  linspace: (o) => np.linspace(0, 1, 3, o), ones: (o) => np.ones([2], o), onesLike: (o) => np.onesLike(x, o), zeros: (o) => np.zeros([2], o),
  zerosLike: (o) => np.zerosLike(x, o), clip: (o) => np.clip(x, o), all: (o) => np.all(x, o), any: (o) => np.any(x, o),
  amax: [(o) => np.amax(x, o), "np.max"], amin: [(o) => np.amin(x, o), "np.min"], max: (o) => np.max(x, o), min: (o) => np.min(x, o),
  argmax: (o) => np.argmax(x, o), argmin: (o) => np.argmin(x, o), cumsum: (o) => np.cumsum(x, o), cumprod: (o) => np.cumprod(x, o),
  mean: (o) => np.mean(x, o), nanSum: (o) => np.nanSum(x, o), prod: (o) => np.prod(x, o), sum: (o) => np.sum(x, o),
  std: (o) => np.std(x, o), var: (o) => np.var(x, o), variance: [(o) => np.variance(x, o), "np.var"],
  allclose: (o) => np.allclose(x, x, o), isclose: (o) => np.isclose(x, x, o), arrayEqual: (o) => np.arrayEqual(x, x, o),
  concatenate: (o) => np.concatenate([x, x], o), stack: (o) => np.stack([x, x], o), split: (o) => np.split(v, 3, o),
  arraySplit: (o) => np.arraySplit(v, 2, o), repeat: (o) => np.repeat(v, 2, o), pad: (o) => np.pad(v, 1, o), take: (o) => np.take(v, [0], o),
  convolve: (o) => np.convolve(v, v, o),
  correlate: (o) => np.correlate(v, v, o)
}
const npNone: NoOptions<typeof np> = [
  "toShape", "abs", "absolute", "add", "arccos", "arcsin", "arctan", "arctan2", "ceil", "cos", "cosh", "divide", "equal", "exp", "exp2",
  "expm1", "floor", "floorDivide", "greater", "greaterEqual", "isfinite", "isinf", "isnan", "less", "lessEqual", "log", "log10", "log1p",
  "log2", "logicalAnd", "logicalNot", "logicalOr", "logicalXor", "maximum", "minimum", "mod", "multiply", "negative", "notEqual", "pow",
  "power", "reciprocal", "remainder", "round", "sign", "sin", "sinh", "sqrt", "square", "subtract", "tan", "tanh", "trueDivide", "where",
  "dot", "einsum", "inner", "matmul", "outer", "tensordot", "vdot", "broadcastArrays", "broadcastTo", "expandDims", "flip", "hstack",
  "moveaxis", "ravel", "reshape", "squeeze", "swapaxes", "tile", "transpose", "vstack", "at", "index", "s"
]

const laxTable: OptionsTable<typeof lax> = {
  scan: (o) => lax.scan((c: Array, a: Array) => [c.add(a), a] as const, np.array(0, { dtype: "float32" }), v, o),
  conv: (o) => lax.conv(np.ones([1, 1, 3]), np.ones([1, 1, 2]), [1], "VALID", o),
  convGeneralDilated: (o) => lax.convGeneralDilated(np.ones([1, 1, 3]), np.ones([1, 1, 2]), [1], "VALID", o),
  convGeneralDilatedPatches: (o) => lax.convGeneralDilatedPatches(np.ones([1, 1, 3]), [2], [1], "VALID", o),
  convTranspose: (o) => lax.convTranspose(np.ones([1, 3, 1]), np.ones([2, 1, 1]), [1], "VALID", o),
  convWithGeneralPadding: (o) => lax.convWithGeneralPadding(np.ones([1, 1, 3]), np.ones([1, 1, 2]), [1], "VALID", null, null, o),
  reduceWindow: (o) => lax.reduceWindow(np.ones([4]), 0, lax.add, [2], o)
}
const laxNone: NoOptions<typeof lax> = [
  "abs", "acos", "add", "and", "argmax", "argmin", "asin", "atan", "atan2", "bitcastConvertType", "broadcastInDim", "ceil", "concatenate", "cond", "convDimensionNumbers", "convertElementType", "cos", "cosh", "cumprod", "cumsum", "div", "dotGeneral", "eq", "erf", "erfInv", "exp",
  "exp2", "expm1", "floor", "forILoop", "gather", "ge", "gt", "integerPow", "iota", "isFinite", "le", "log", "log1p", "logistic", "lt", "max",
  "min", "mul", "ne", "neg", "not", "or", "pad", "padtypeToPads", "pow", "reduceMax", "reduceMin", "reduceProd", "reduceSum", "rem", "reshape", "rev",
  "round", "rsqrt", "scatter", "select", "shiftLeft", "shiftRightArithmetic", "shiftRightLogical", "sign", "sin", "sinh", "slice", "sort",
  "sortKeyVal", "sqrt", "stopGradient", "sub", "switch", "tan", "tanh", "transpose", "whileLoop", "xor", "besselI0e", "besselI1e",
  "betainc", "digamma", "erfc", "igamma", "igammaGradA", "igammac", "lgamma", "polygamma", "randomGammaGrad", "regularizedIncompleteBeta", "zeta"
]

const nnTable: OptionsTable<typeof nn> = {
  // jax.nn.logsumexp is jax.scipy.special.logsumexp
  gelu: (o) => nn.gelu(x, o), logsumexp: [(o: never) => nn.logsumexp(x, o), "scipy.special.logsumexp"], softmax: (o) => nn.softmax(x, o),
  logSoftmax: (o) => nn.logSoftmax(x, o), oneHot: (o) => nn.oneHot(np.array([0, 1]), 2, o),
  glu: (o) => nn.glu(np.ones([2, 4]), o), logmeanexp: (o) => nn.logmeanexp(x, o), standardize: (o) => nn.standardize(x, o),
  dotProductAttention: (o) => nn.dotProductAttention(np.ones([1, 2, 1, 2]), np.ones([1, 2, 1, 2]), np.ones([1, 2, 1, 2]), o)
}
const I = nn.initializers
const initTable: OptionsTable<typeof I> = {
  constant: (o) => I.constant(1, o), uniform: (o) => I.uniform(0.01, o), normal: (o) => I.normal(0.01, o),
  truncatedNormal: (o) => I.truncatedNormal(0.01, o), orthogonal: (o) => I.orthogonal(1, o), deltaOrthogonal: (o) => I.deltaOrthogonal(1, o),
  varianceScaling: (o) => I.varianceScaling(1, "fan_in", "uniform", o), glorotUniform: (o) => I.glorotUniform(o), glorotNormal: (o) => I.glorotNormal(o),
  lecunUniform: (o) => I.lecunUniform(o), lecunNormal: (o) => I.lecunNormal(o), heUniform: (o) => I.heUniform(o), heNormal: (o) => I.heNormal(o),
  // the aliases are JAX's: the same functions, so the message names the original
  xavierUniform: [(o: never) => I.xavierUniform(o), "nn.initializers.glorotUniform"], xavierNormal: [(o: never) => I.xavierNormal(o), "nn.initializers.glorotNormal"],
  kaimingUniform: [(o: never) => I.kaimingUniform(o), "nn.initializers.heUniform"], kaimingNormal: [(o: never) => I.kaimingNormal(o), "nn.initializers.heNormal"]
}
const initNone: NoOptions<typeof I> = ["zeros", "ones"]
const nnNone: NoOptions<typeof nn> = ["hardTanh", "hardSigmoid", "hardSilu", "hardSwish", "sparsePlus", "sparseSigmoid", "tanh", "identity", "celu", "mish",
  "softSign", "squareplus", "log1mexp", "elu", "leakyRelu", "logSigmoid", "relu", "relu6", "selu", "sigmoid", "silu", "softplus", "swish"]

const randomTable: OptionsTable<typeof random> = {
  bits: (o) => random.bits(key, [2], o), normal: (o) => random.normal(key, [2], o), exponential: (o) => random.exponential(key, [2], o),
  laplace: (o) => random.laplace(key, [2], o), logistic: (o) => random.logistic(key, [2], o), randint: (o) => random.randint(key, [2], 0, 3, o),
  truncatedNormal: (o) => random.truncatedNormal(key, -1, 1, [2], o), uniform: (o) => random.uniform(key, [2], o),
  permutation: (o) => random.permutation(key, 3, o), choice: (o) => random.choice(key, 3, [2], o), gumbel: (o) => random.gumbel(key, [2], o),
  categorical: (o) => random.categorical(key, x, o), multivariateNormal: (o) => random.multivariateNormal(key, v, np.eye(3), o)
}
const randomNone: NoOptions<typeof random> = [
  "PRNGKey", "PRNGKeyArray", "bernoulli", "checkKeyReuse", "clone", "foldIn", "isCheckingKeyReuse", "isThreefryPartitionable", "key", "keyData",
  "seedWords", "split", "threefryPartitionable", "wrapKeyData"
]

class Point {
  constructor(readonly a: number) {}
}
const treeTable: OptionsTable<typeof tree> = {
  flatten: (o) => tree.flatten([1], o), flattenWithPath: (o) => tree.flattenWithPath([1], o), leaves: (o) => tree.leaves([1], o),
  structure: (o) => tree.structure([1], o), mapWith: (o) => tree.mapWith(o, (l) => l, [1]), mapWithPath: (o) => tree.mapWithPath((_p, l) => l, [1], o),
  broadcastPrefix: (o) => tree.broadcastPrefix(0, [1], o),
  registerNode: (o) => tree.registerNode(Point, { flatten: (p: Point) => [[p.a], null], unflatten: (_a, [a]) => new Point(a as number), ...(o as object) })
}
const treeNone: NoOptions<typeof tree> = ["TreeDef", "all", "flattenUpTo", "isRegistered", "keystr", "map", "reduce", "transpose", "unflatten"]

const debugNone: NoOptions<typeof debug> = ["formatPrint", "print", "setPrintSink"]

// bind's params are a primitive's parameters, not options: the primitive's shape rule checks them.
type RootExcept = "bind" | "bind1"
const rootTable: OptionsTable<typeof root, RootExcept> = {
  grad: (o) => grad(f, o), valueAndGrad: (o) => valueAndGrad(f, o), jit: (o) => jit(f, o), makeJaxpr: (o) => makeJaxpr(f, o), vmap: (o) => vmap(f, o),
  jacfwd: (o) => jacfwd(f, o), jacrev: (o) => jacrev(f, o), hessian: (o) => hessian(f, o), customJvp: (o) => customJvp(f, o),
  customVjp: (o) => customVjp(f, o)
}
// checkpoint (remat) takes no options yet (JAX's policy, prevent_cse and static_argnums are not implemented).
const rootNone: NoOptions<typeof root, RootExcept> = [
  "Array", "ClosedJaxpr", "Jaxpr", "Primitive", "ShapedArray", "UndefPrimal", "Zero", "bind", "bind1", "checkpoint", "definePrimitive", "jvp",
  "linearize", "remat", "stopGradient", "vjp", "vjpWithAux", "isJaxfxError", "CodecError", "ConcretizationError", "DTypeError", "DeviceError",
  "IndexError", "KeyReuseError", "NonScalarOutputError", "OverflowError", "ShapeError", "TreeError", "UnexpectedTracerError", "ValueError",
  // devices take a device or a tree, no options objects
  "Device", "defaultDevice", "deviceCount", "devices", "init", "localDeviceCount", "withDefaultDevice", "deviceGet", "devicePut", "devicePutAsync",
  "effectsBarrier", "effectsBarrierAsync", "openScope", "scope"
]

describe("every public function that takes options checks them (an export missing from both lists fails)", () => {
  it("np", () => checkNamespace("np.", np, npTable, npNone))
  it("lax", () => checkNamespace("lax.", lax, laxTable, laxNone))
  it("nn", () => checkNamespace("nn.", nn, nnTable, nnNone))
  it("nn.initializers", () => checkNamespace("nn.initializers.", I, initTable, initNone))
  it("random", () => checkNamespace("random.", random, randomTable, randomNone))
  it("tree", () => checkNamespace("tree.", tree, treeTable, treeNone))
  it("debug", () => checkNamespace("debug.", debug, {}, debugNone))
  it("the transformations", () => checkNamespace("", root, rootTable, rootNone))

  it("Array methods", async () => {
    const methods = Object.getOwnPropertyNames(Array.prototype).filter((k) => k !== "constructor" && typeof Object.getOwnPropertyDescriptor(Array.prototype, k)?.value === "function")
    const table = {
      sum: (o: never) => x.sum(o), prod: (o: never) => x.prod(o), mean: (o: never) => x.mean(o), max: (o: never) => x.max(o), min: (o: never) => x.min(o),
      all: (o: never) => x.all(o), any: (o: never) => x.any(o), var: (o: never) => x.var(o), std: (o: never) => x.std(o),
      argmax: (o: never) => x.argmax(o), argmin: (o: never) => x.argmin(o), cumsum: (o: never) => x.cumsum(o)
    }
    const none = [
      "toJs", "item", "str", "toJSON", "valueOf", "add", "sub", "mul", "div", "pow", "mod", "floorDiv", "neg", "abs", "sqrt", "exp", "log", "square",
      "eq", "ne", "lt", "le", "gt", "ge", "matmul", "dot", "astype", "reshape", "transpose", "swapaxes", "squeeze", "ravel", "flatten", "index",
      "at", "blockUntilReady", "blockUntilReadyAsync", "dataAsync", "devices"
    ]
    const proto = Object.fromEntries(methods.map((m) => [m, () => undefined]))
    await checkNamespace("np.", proto, Object.fromEntries(Object.entries(table).map(([k, c]) => [k, [c, `np.${k}`]])), none)
  })

  it("a function that takes options but checks none fails the coverage test", async () => {
    const fake = { sum: (_x: unknown, _o?: { axis?: number }) => 0, add: () => 0 }
    await expect(checkNamespace("fake.", fake, { sum: (o: never) => fake.sum(x, o) }, ["add"])).rejects.toThrow(/fake\.sum with an unknown option/)
    await expect(checkNamespace("fake.", fake, {}, ["add"])).rejects.toThrow(/in neither the options table nor the no-options list/)
    // BOGUS is what the table's calls get.
    expect(BOGUS).toEqual({ __bogus__: 1 })
  })
})
