import { describe, expect, it } from "vitest"
import {
  Array,
  checkpoint,
  customJvp,
  customVjp,
  debug,
  grad,
  hessian,
  jacfwd,
  jacrev,
  jit,
  lax,
  makeJaxpr,
  nn,
  np,
  random,
  tree,
  pmap,
  ValueError,
  valueAndGrad,
  vmap,
  shardMap,
  makeMesh,
  NamedSharding,
  P
} from "../index.js"
import * as root from "../index.js"
import { BOGUS, checkNamespace, type NoOptions, type OptionsTable } from "./test-helpers.js"

// Small valid leading arguments for every function that takes options.
const x = np.array(
  [
    [1, 2],
    [3, 4]
  ],
  { dtype: "float32" }
)
const v = np.array([1, 2, 3], { dtype: "float32" })
const key = random.key(0)
const f = (a: Array) => np.sum(a.mul(a))

describe("an unknown option is a ValueError naming the function, the valid keys and the closest one", () => {
  it("the issue's examples: np.sum's axes, grad's argnum, vmap's axisName", () => {
    expect(() => np.sum(x, { axes: 0 } as never)).toThrow(ValueError)
    expect(() => np.sum(x, { axes: 0 } as never)).toThrow('np.sum: unknown option "axes" (did you mean "axis"?); the options are axis, keepdims, dtype.')
    expect(() => x.sum({ axes: 0 } as never)).toThrow(/np\.sum: unknown option "axes" \(did you mean "axis"\?\)/)
    const g = (a: Array, b: Array) => np.sum(a.mul(b))
    expect(() => grad(g, { argnum: 1 } as never)).toThrow(
      'grad: unknown option "argnum" (did you mean "argnums"?); the options are argnums, hasAux, holomorphic.'
    )
    expect(() => valueAndGrad(g, { has_aux: true } as never)).toThrow(/valueAndGrad: unknown option "has_aux" \(did you mean "hasAux"\?\)/)
    // axisName names the mapped axis for collectives (lax.psum, ...); a non-string name is refused.
    expect(vmap((a: Array) => lax.psum(a, "i"), { axisName: "i" })(v).toJs()).toEqual([6, 6, 6])
    expect(() => vmap(f, { axisName: 3 } as never)).toThrow(/vmap: axisName: the axis name must be a non-empty string/)
    expect(() => vmap(f, { inAxis: 0 } as never)).toThrow(/vmap: unknown option "inAxis" \(did you mean "inAxes"\?\)/)
  })

  it("in every namespace, with the closest key", () => {
    expect(() => lax.scan((c: Array, a: Array) => [c.add(a), a] as const, np.array(0), np.arange(3), { revers: true } as never)).toThrow(
      'lax.scan: unknown option "revers" (did you mean "reverse"?); the options are length, reverse.'
    )
    expect(() => nn.softmax(x, { axes: 0 } as never)).toThrow('nn.softmax: unknown option "axes" (did you mean "axis"?); the options are axis.')
    expect(() => random.uniform(key, [2], { minVal: -1 } as never)).toThrow(
      /random\.uniform: unknown option "minVal" \(did you mean "minval"\?\); the options are dtype, minval, maxval\./
    )
    expect(() => random.normal(key, [2], { dtyp: "float32" } as never)).toThrow(/random\.normal: unknown option "dtyp" \(did you mean "dtype"\?\)/)
    expect(() => tree.flatten([1], { is_leaf: () => false } as never)).toThrow(/tree\.flatten: unknown option "is_leaf" \(did you mean "isLeaf"\?\)/)
    expect(() => jit(f, { static_argnums: 0 } as never)).toThrow(
      /jit: unknown option "static_argnums" \(did you mean "staticArgnums"\?\); the options are staticArgnums, staticArgnames, name, cacheSize, donateArgnums, inShardings, outShardings\./
    )
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
    expect(() => random.gumbel(key, [2], { mode: "hi" as never })).toThrow(
      /random\.gumbel: unknown mode "hi" \(did you mean "high"\?\); use one of "low", "high"\./
    )
    expect(() => random.categorical(key, x, { mode: "lo" as never })).toThrow(/random\.categorical: unknown mode "lo"/)
    expect(() => np.pad(v, 1, { mode: "mirror" as never })).toThrow(ValueError)
    expect(() => np.take(v, [0], { mode: "wrapp" as never })).toThrow(ValueError)
    expect(() => np.convolve(v, v, { mode: "ful" as never })).toThrow(ValueError)
    expect(() => random.multivariateNormal(key, v, np.eye(3), { method: "svd" as never })).toThrow(ValueError)
  })

  it("leaves the arrays it was given unchanged", () => {
    expect(() => np.sum(x, { axes: 0 } as never)).toThrow(ValueError)
    expect(x.toJs()).toEqual([
      [1, 2],
      [3, 4]
    ])
  })
})

// ---------------------------------------------------------------------------------------------
// Coverage: every export is classified; every one that takes options checks them.

const npTable: OptionsTable<typeof np> = {
  arange: (o) => np.arange(3, o),
  array: (o) => np.array([1], o),
  asarray: (o) => np.asarray([1], o),
  eye: (o) => np.eye(2, 2, o),
  full: (o) => np.full([2], 1, o),
  fullLike: (o) => np.fullLike(x, 1, o),
  identity: (o) => np.identity(2, o),
  linspace: (o) => np.linspace(0, 1, 3, o),
  ones: (o) => np.ones([2], o),
  onesLike: (o) => np.onesLike(x, o),
  zeros: (o) => np.zeros([2], o),
  zerosLike: (o) => np.zerosLike(x, o),
  clip: (o) => np.clip(x, o),
  all: (o) => np.all(x, o),
  any: (o) => np.any(x, o),
  amax: [(o) => np.amax(x, o), "np.max"],
  amin: [(o) => np.amin(x, o), "np.min"],
  max: (o) => np.max(x, o),
  min: (o) => np.min(x, o),
  argmax: (o) => np.argmax(x, o),
  argmin: (o) => np.argmin(x, o),
  cumsum: (o) => np.cumsum(x, o),
  cumprod: (o) => np.cumprod(x, o),
  mean: (o) => np.mean(x, o),
  nanSum: (o) => np.nanSum(x, o),
  prod: (o) => np.prod(x, o),
  sum: (o) => np.sum(x, o),
  std: (o) => np.std(x, o),
  var: (o) => np.var(x, o),
  variance: [(o) => np.variance(x, o), "np.var"],
  allclose: (o) => np.allclose(x, x, o),
  isclose: (o) => np.isclose(x, x, o),
  arrayEqual: (o) => np.arrayEqual(x, x, o),
  concatenate: (o) => np.concatenate([x, x], o),
  stack: (o) => np.stack([x, x], o),
  split: (o) => np.split(v, 3, o),
  arraySplit: (o) => np.arraySplit(v, 2, o),
  repeat: (o) => np.repeat(v, 2, o),
  pad: (o) => np.pad(v, 1, o),
  take: (o) => np.take(v, [0], o),
  convolve: (o) => np.convolve(v, v, o),
  // sorting, searching, sets, statistics
  sort: (o) => np.sort(v, o),
  argsort: (o) => np.argsort(v, o),
  lexsort: (o) => np.lexsort([v], o),
  partition: (o) => np.partition(v, 1, o),
  topK: (o) => np.topK(v, 2, o),
  argpartition: (o) => np.argpartition(v, 1, o),
  nonzero: (o) => np.nonzero(v, o),
  flatnonzero: (o) => np.flatnonzero(v, o),
  argwhere: (o) => np.argwhere(v, o),
  countNonzero: (o) => np.countNonzero(v, o),
  searchsorted: (o) => np.searchsorted(v, 1, o),
  digitize: (o) => np.digitize(v, v, o),
  bincount: (o) => np.bincount(np.array([1, 2]), o),
  unique: (o) => np.unique(v, o),
  uniqueValues: (o) => np.uniqueValues(v, o),
  uniqueCounts: (o) => np.uniqueCounts(v, o),
  uniqueInverse: (o) => np.uniqueInverse(v, o),
  uniqueAll: (o) => np.uniqueAll(v, o),
  isin: (o) => np.isin(v, v, o),
  union1d: (o) => np.union1d(v, v, o),
  setdiff1d: (o) => np.setdiff1d(v, v, o),
  setxor1d: (o) => np.setxor1d(v, v, o),
  intersect1d: (o) => np.intersect1d(v, v, o),
  quantile: (o) => np.quantile(v, 0.5, o),
  percentile: (o) => np.percentile(v, 50, o),
  nanquantile: (o) => np.nanquantile(v, 0.5, o),
  nanpercentile: (o) => np.nanpercentile(v, 50, o),
  median: (o) => np.median(v, o),
  nanmedian: (o) => np.nanmedian(v, o),
  average: (o) => np.average(v, o),
  cov: (o) => np.cov(x, null, o),
  corrcoef: (o) => np.corrcoef(x, null, o),
  histogram: (o) => np.histogram(v, o),
  histogramBinEdges: (o) => np.histogramBinEdges(v, o),
  nanmax: (o) => np.nanmax(v, o),
  nanmin: (o) => np.nanmin(v, o),
  nansum: [(o) => np.nansum(v, o), "np.nanSum"],
  nanprod: (o) => np.nanprod(v, o),
  nanmean: (o) => np.nanmean(v, o),
  nanvar: (o) => np.nanvar(v, o),
  nanstd: (o) => np.nanstd(v, o),
  nanargmax: (o) => np.nanargmax(v, o),
  nanargmin: (o) => np.nanargmin(v, o),
  nancumsum: (o) => np.nancumsum(v, o),
  nancumprod: (o) => np.nancumprod(v, o),
  ptp: (o) => np.ptp(v, o),
  histogramdd: (o) => np.histogramdd(x, o),
  histogram2d: (o) => np.histogram2d(v, v, o),
  tri: (o) => np.tri(2, 2, o),
  tril: (o) => np.tril(x, o),
  triu: (o) => np.triu(x, o),
  trilIndices: (o) => np.trilIndices(2, o),
  triuIndices: (o) => np.triuIndices(2, o),
  trilIndicesFrom: (o) => np.trilIndicesFrom(x, o),
  triuIndicesFrom: (o) => np.triuIndicesFrom(x, o),
  diagonal: (o) => np.diagonal(x, o),
  trace: (o) => np.trace(x, o),
  diag: (o) => np.diag(v, o),
  diagflat: (o) => np.diagflat(v, o),
  fillDiagonal: (o) => np.fillDiagonal(x, 1, o),
  roll: (o) => np.roll(v, 1, o),
  rot90: (o) => np.rot90(x, 1, o),
  concat: (o) => np.concat([v, v], o),
  unstack: (o) => np.unstack(x, o),
  append: (o) => np.append(v, v, o),
  meshgrid: (o) => np.meshgrid([v, v], o),
  indices: (o) => np.indices([2], o),
  takeAlongAxis: (o) => np.takeAlongAxis(v, np.array([0]), 0, o),
  putAlongAxis: (o) => np.putAlongAxis(v, np.array([0]), 1, 0, o),
  choose: (o) => np.choose(np.array([0]), [v], o),
  compress: (o) => np.compress([true], v, o),
  extract: (o) => np.extract([1], v, o),
  place: (o) => np.place(v, [true, false, false], [1], o),
  put: (o) => np.put(v, [0], [1], o),
  delete: (o) => np.delete(v, 0, o),
  insert: (o) => np.insert(v, 0, 1, o),
  ravelMultiIndex: (o) => np.ravelMultiIndex([np.array([0])], [2], o),
  nanToNum: (o) => np.nanToNum(v, o),
  diff: (o) => np.diff(v, o),
  ediff1d: (o) => np.ediff1d(v, o),
  cross: (o) => np.cross(v, v, o),
  gradient: (o) => np.gradient(v, o),
  trapezoid: (o) => np.trapezoid(v, o),
  interp: (o) => np.interp(v, v, v, o),
  unwrap: (o) => np.unwrap(v, o),
  vectorize: (o) => np.vectorize((a: Array) => a, o),
  fromfunction: (o) => np.fromfunction((i: Array) => i, [2], o),
  polymul: (o) => np.polymul(v, v, o),
  einsum: (o) => np.einsum("i->", v, o as never),
  polyint: (o) => np.polyint(v, o),
  vander: (o) => np.vander(v, o),
  correlate: (o) => np.correlate(v, v, o),
  polyfit: (o) => np.polyfit(v, v, 1, o),
  roots: (o) => np.roots(v, o),
  cumulativeSum: (o) => np.cumulativeSum(v, o),
  cumulativeProd: (o) => np.cumulativeProd(v, o),
  vecdot: (o) => np.vecdot(v, v, o),
  logspace: (o) => np.logspace(0, 1, 3, o),
  geomspace: (o) => np.geomspace(1, 2, 3, o),
  size: (o) => np.size(v, o),
  empty: (o) => np.empty([2], o),
  emptyLike: (o) => np.emptyLike(v, o),
  trimZeros: (o) => np.trimZeros(v, o),
  angle: (o) => np.angle(v, o),
  realIfClose: (o) => np.realIfClose(v, o),
  packbits: (o) => np.packbits(np.array([1, 0]), o),
  unpackbits: (o) => np.unpackbits(np.array([3], { dtype: "uint8" }), o),
  frombuffer: (o) => np.frombuffer(new Float32Array([1]).buffer, o),
  einsumPath: (o) => np.einsumPath("i,i", v, v, o)
}
const npNone: NoOptions<typeof np> = [
  "toShape",
  "abs",
  "absolute",
  "add",
  "arccos",
  "arcsin",
  "arctan",
  "arctan2",
  "ceil",
  "cos",
  "cosh",
  "divide",
  "equal",
  "exp",
  "exp2",
  "expm1",
  "floor",
  "floorDivide",
  "greater",
  "greaterEqual",
  "isfinite",
  "isinf",
  "isnan",
  "less",
  "lessEqual",
  "log",
  "log10",
  "log1p",
  "log2",
  "logicalAnd",
  "logicalNot",
  "logicalOr",
  "logicalXor",
  "maximum",
  "minimum",
  "mod",
  "multiply",
  "negative",
  "notEqual",
  "pow",
  "power",
  "reciprocal",
  "remainder",
  "round",
  "sign",
  "sin",
  "sinh",
  "sqrt",
  "square",
  "subtract",
  "tan",
  "tanh",
  "trueDivide",
  "where",
  "dot",
  "inner",
  "matmul",
  "outer",
  "tensordot",
  "vdot",
  "broadcastArrays",
  "broadcastTo",
  "expandDims",
  "flip",
  "hstack",
  "moveaxis",
  "ravel",
  "reshape",
  "squeeze",
  "swapaxes",
  "tile",
  "transpose",
  "vstack",
  "at",
  "index",
  "s",
  "diagIndices",
  "diagIndicesFrom",
  "fliplr",
  "flipud",
  "matrixTranspose",
  "permuteDims",
  "atleast1d",
  "atleast2d",
  "atleast3d",
  "dstack",
  "columnStack",
  "hsplit",
  "vsplit",
  "dsplit",
  "block",
  "resize",
  "ix",
  "unravelIndex",
  "logaddexp",
  "logaddexp2",
  "fmod",
  "fmax",
  "fmin",
  "trunc",
  "around",
  "rint",
  "modf",
  "divmod",
  "signbit",
  "copysign",
  "heaviside",
  "positive",
  "fabs",
  "isposinf",
  "isneginf",
  "hypot",
  "cbrt",
  "sinc",
  "frexp",
  "ldexp",
  "nextafter",
  "gcd",
  "lcm",
  "floatPower",
  "deg2rad",
  "radians",
  "rad2deg",
  "degrees",
  "arcsinh",
  "arccosh",
  "arctanh",
  "asin",
  "acos",
  "atan",
  "atan2",
  "asinh",
  "acosh",
  "atanh",
  "bitwiseAnd",
  "bitwiseOr",
  "bitwiseXor",
  "bitwiseNot",
  "invert",
  "bitwiseInvert",
  "leftShift",
  "bitwiseLeftShift",
  "rightShift",
  "bitwiseRightShift",
  "kron",
  "applyAlongAxis",
  "applyOverAxes",
  "select",
  "piecewise",
  "polyval",
  "polyadd",
  "polysub",
  "polydiv",
  "polyder",
  "poly",
  "bartlett",
  "blackman",
  "hamming",
  "hanning",
  "kaiser",
  "arrayEquiv",
  "matvec",
  "vecmat",
  "ndim",
  "shape",
  "isscalar",
  "broadcastShapes",
  "copy",
  "rollaxis",
  "i0",
  "spacing",
  "real",
  "imag",
  "conj",
  "conjugate",
  "iscomplex",
  "isreal",
  "iscomplexobj",
  "isrealobj",
  "sortComplex",
  // dtype functions (core/dtypes): positional arguments only, as JAX's
  "promoteTypes",
  "resultType",
  "canCast",
  "issubdtype",
  "finfo",
  "iinfo",
  "astype",
  "isdtype",
  "bitwiseCount",
  "maskIndices"
]

const GD: lax.GatherDimensionNumbers = { offsetDims: [1], collapsedSliceDims: [], startIndexMap: [0] }
const SD: lax.ScatterDimensionNumbers = { updateWindowDims: [], insertedWindowDims: [0], scatterDimsToOperandDims: [0] }
const laxTable: OptionsTable<typeof lax> = {
  raggedDotGeneral: (o) =>
    lax.raggedDotGeneral(np.ones([2, 2]), np.ones([1, 2, 2]), np.array([2]), {
      dotDimensionNumbers: { contracting: [[1], [1]], batch: [[], []] },
      lhsRaggedDimensions: [0],
      rhsGroupDimensions: [0],
      ...(o as object)
    }),
  scan: (o) => lax.scan((c: Array, a: Array) => [c.add(a), a] as const, np.array(0, { dtype: "float32" }), v, o),
  sort: (o) => lax.sort(v, o),
  sortKeyVal: (o) => lax.sortKeyVal(v, v, o),
  topK: (o) => lax.topK(v, 2, o),
  approxMaxK: (o) => lax.approxMaxK(v, 2, o),
  convGeneralDilatedLocal: (o) => lax.convGeneralDilatedLocal(np.ones([1, 1, 3]), np.ones([1, 2, 2]), [1], "VALID", [2], o),
  approxMinK: (o) => lax.approxMinK(v, 2, o),
  // the branches are an options object: an unknown platform name is refused
  platformDependent: (o) => lax.platformDependent(o, v),
  // the collectives check their options before looking their axis up
  allGather: (o) => lax.allGather(v, "i", o),
  allToAll: (o) => lax.allToAll(v, "i", 0, 0, o),
  psumScatter: (o) => lax.psumScatter(v, "i", o),
  pcast: (o) => lax.pcast(v, "i", o),
  raggedAllToAll: (o) => lax.raggedAllToAll(v, v, v, v, v, v, o),
  map: (o) => lax.map((a: Array) => a, v, o),
  associativeScan: (o) => lax.associativeScan(lax.add, v, o),
  conv: (o) => lax.conv(np.ones([1, 1, 3]), np.ones([1, 1, 2]), [1], "VALID", o),
  convGeneralDilated: (o) => lax.convGeneralDilated(np.ones([1, 1, 3]), np.ones([1, 1, 2]), [1], "VALID", o),
  convGeneralDilatedPatches: (o) => lax.convGeneralDilatedPatches(np.ones([1, 1, 3]), [2], [1], "VALID", o),
  convTranspose: (o) => lax.convTranspose(np.ones([1, 3, 1]), np.ones([2, 1, 1]), [1], "VALID", o),
  convWithGeneralPadding: (o) => lax.convWithGeneralPadding(np.ones([1, 1, 3]), np.ones([1, 1, 2]), [1], "VALID", null, null, o),
  reduceWindow: (o) => lax.reduceWindow(np.ones([4]), 0, lax.add, [2], o),
  gather: (o) => lax.gather(v, np.array([[0]]), GD, [1], o),
  scatter: (o) => lax.scatter(v, np.array([[0]]), v.index(":1"), SD, o),
  scatterAdd: (o) => lax.scatterAdd(v, np.array([[0]]), v.index(":1"), SD, o),
  scatterSub: (o) => lax.scatterSub(v, np.array([[0]]), v.index(":1"), SD, o),
  scatterMul: (o) => lax.scatterMul(v, np.array([[0]]), v.index(":1"), SD, o),
  scatterMin: (o) => lax.scatterMin(v, np.array([[0]]), v.index(":1"), SD, o),
  scatterMax: (o) => lax.scatterMax(v, np.array([[0]]), v.index(":1"), SD, o),
  scatterApply: (o) => lax.scatterApply(v, np.array([[0]]), (a: Array) => a, SD, o),
  customRoot: (o) =>
    lax.customRoot(
      (a: Array) => a,
      v,
      (_f, x0) => x0,
      (_g, y) => y,
      o
    ),
  customLinearSolve: (o) =>
    lax.customLinearSolve(
      (a: Array) => a,
      v,
      (_mv, b) => b,
      o
    )
}
const laxNone: NoOptions<typeof lax> = [
  "withShardingConstraint",
  "abs",
  "acos",
  "add",
  "and",
  "argmax",
  "argmin",
  "asin",
  "atan",
  "atan2",
  "bitcastConvertType",
  "broadcastInDim",
  "ceil",
  "concatenate",
  "cond",
  "convDimensionNumbers",
  "convertElementType",
  "cos",
  "cosh",
  "cumprod",
  "cumsum",
  "div",
  "dotGeneral",
  "eq",
  "erf",
  "erfInv",
  "exp",
  "exp2",
  "expm1",
  "floor",
  "forILoop",
  "ge",
  "gt",
  "integerPow",
  "iota",
  "isFinite",
  "le",
  "log",
  "log1p",
  "logistic",
  "lt",
  "max",
  "min",
  "mul",
  "ne",
  "neg",
  "not",
  "or",
  "pad",
  "pow",
  "reduceMax",
  "reduceMin",
  "reduceProd",
  "reduceSum",
  "rem",
  "reshape",
  "rev",
  "round",
  "rsqrt",
  "select",
  "shiftLeft",
  "shiftRightArithmetic",
  "shiftRightLogical",
  "sign",
  "sin",
  "sinh",
  "slice",
  "sqrt",
  "stopGradient",
  "sub",
  "switch",
  "tan",
  "tanh",
  "transpose",
  "whileLoop",
  "xor",
  "besselI0e",
  "besselI1e",
  "betainc",
  "digamma",
  "erfc",
  "igamma",
  "igammaGradA",
  "igammac",
  "lgamma",
  "polygamma",
  "randomGammaGrad",
  "regularizedIncompleteBeta",
  "zeta",
  "axisIndex",
  "axisSize",
  "pmax",
  "pmean",
  "pmin",
  "ppermute",
  "pshuffle",
  "psum",
  "pswapaxes",
  "dynamicIndexInDim",
  "dynamicSlice",
  "dynamicSliceInDim",
  "dynamicUpdateIndexInDim",
  "dynamicUpdateSlice",
  "dynamicUpdateSliceInDim",
  "indexInDim",
  "sliceInDim",
  "cumlogsumexp",
  "cummax",
  "cummin",
  "reduce",
  "acosh",
  "asinh",
  "atanh",
  "batchMatmul",
  "broadcast",
  "broadcastedIota",
  "cbrt",
  "clamp",
  "collapse",
  "dot",
  "expandDims",
  "full",
  "fullLike",
  "reciprocal",
  "reduceAnd",
  "reduceOr",
  "selectN",
  "square",
  "squeeze",
  "reducePrecision",
  "clz",
  "populationCount",
  "reduceXor",
  "padtypeToPads",
  "broadcastLike",
  "broadcastShapes",
  "broadcastToRank",
  "empty",
  "indexTake",
  "nextafter",
  "optimizationBarrier",
  "split",
  "tile",
  "complex",
  "conj",
  "imag",
  "real",
  "fft",
  "mulhi",
  "stack",
  "unstack",
  "convGeneralPermutations",
  "convGeneralShapeTuple",
  "convShapeTuple",
  "convTransposeShapeTuple",
  "reduceWindowShapeTuple",
  "dtype",
  "shapeAsValue",
  "stage",
  "rngBitGenerator",
  "rngUniform",
  "raggedDot",
  "composite",
  "pbroadcast"
]

const NL = np.linalg
const npLinalgTable: OptionsTable<typeof NL> = {
  cholesky: (o) => NL.cholesky(np.eye(2), o),
  qr: (o) => NL.qr(np.eye(2), o),
  svd: (o) => NL.svd(np.eye(2), o),
  eigh: (o) => NL.eigh(np.eye(2), o),
  eigvalsh: (o) => NL.eigvalsh(np.eye(2), o),
  norm: (o) => NL.norm(v, o),
  vectorNorm: (o) => NL.vectorNorm(v, o),
  matrixNorm: (o) => NL.matrixNorm(x, o),
  tensordot: (o) => NL.tensordot(x, x, o),
  vecdot: (o) => NL.vecdot(v, v, o),
  cross: (o) => NL.cross(v, v, o),
  diagonal: (o) => NL.diagonal(x, o),
  trace: (o) => NL.trace(x, o),
  lstsq: (o) => NL.lstsq(x, v.index(":2"), o),
  pinv: (o) => NL.pinv(x, o),
  matrixRank: (o) => NL.matrixRank(x, o),
  tensorsolve: (o) => NL.tensorsolve(x, v.index(":2"), o),
  tensorinv: (o) => NL.tensorinv(x, o)
}
// cond's second argument is the order p (NumPy's positional parameter), not options.
const npLinalgNone: NoOptions<typeof NL> = [
  "svdvals",
  "eig",
  "eigvals",
  "matmul",
  "outer",
  "matrixTranspose",
  "multiDot",
  "solve",
  "inv",
  "det",
  "slogdet",
  "matrixPower",
  "cond"
]

const NF = np.fft
const npFftTable: OptionsTable<typeof NF> = {
  fftfreq: (o) => NF.fftfreq(4, 1, o),
  rfftfreq: (o) => NF.rfftfreq(4, 1, o),
  fftshift: (o) => NF.fftshift(v, o),
  ifftshift: (o) => NF.ifftshift(v, o),
  fft: (o) => NF.fft(v, o),
  ifft: (o) => NF.ifft(v, o),
  rfft: (o) => NF.rfft(v, o),
  irfft: (o) => NF.irfft(v, o),
  hfft: (o) => NF.hfft(v, o),
  ihfft: (o) => NF.ihfft(v, o),
  fft2: (o) => NF.fft2(x, o),
  ifft2: (o) => NF.ifft2(x, o),
  rfft2: (o) => NF.rfft2(x, o),
  irfft2: (o) => NF.irfft2(x, o),
  fftn: (o) => NF.fftn(x, o),
  ifftn: (o) => NF.ifftn(x, o),
  rfftn: (o) => NF.rfftn(x, o),
  irfftn: (o) => NF.irfftn(x, o)
}
const npFftNone: NoOptions<typeof NF> = []

const L = lax.linalg
const laxLinalgTable: OptionsTable<typeof L> = {
  cholesky: (o) => L.cholesky(np.eye(2), o),
  triangularSolve: (o) => L.triangularSolve(np.eye(2), np.eye(2), o),
  qr: (o) => L.qr(np.eye(2), o),
  eigh: (o) => L.eigh(np.eye(2), o),
  svd: (o) => L.svd(np.eye(2), o),
  eig: (o) => L.eig(np.eye(2), o),
  schur: (o) => L.schur(np.eye(2), o)
}
const laxLinalgNone: NoOptions<typeof L> = ["lu", "luPivotsToPermutation", "tridiagonalSolve", "householderProduct"]

const nnTable: OptionsTable<typeof nn> = {
  // jax.nn.logsumexp is jax.scipy.special.logsumexp
  gelu: (o) => nn.gelu(x, o),
  logsumexp: [(o: never) => nn.logsumexp(x, o), "scipy.special.logsumexp"],
  softmax: (o) => nn.softmax(x, o),
  logSoftmax: (o) => nn.logSoftmax(x, o),
  oneHot: (o) => nn.oneHot(np.array([0, 1]), 2, o),
  glu: (o) => nn.glu(np.ones([2, 4]), o),
  logmeanexp: (o) => nn.logmeanexp(x, o),
  standardize: (o) => nn.standardize(x, o),
  dotProductAttention: (o) => nn.dotProductAttention(np.ones([1, 2, 1, 2]), np.ones([1, 2, 1, 2]), np.ones([1, 2, 1, 2]), o)
}
const I = nn.initializers
const initTable: OptionsTable<typeof I> = {
  constant: (o) => I.constant(1, o),
  uniform: (o) => I.uniform(0.01, o),
  normal: (o) => I.normal(0.01, o),
  truncatedNormal: (o) => I.truncatedNormal(0.01, o),
  orthogonal: (o) => I.orthogonal(1, o),
  deltaOrthogonal: (o) => I.deltaOrthogonal(1, o),
  varianceScaling: (o) => I.varianceScaling(1, "fan_in", "uniform", o),
  glorotUniform: (o) => I.glorotUniform(o),
  glorotNormal: (o) => I.glorotNormal(o),
  lecunUniform: (o) => I.lecunUniform(o),
  lecunNormal: (o) => I.lecunNormal(o),
  heUniform: (o) => I.heUniform(o),
  heNormal: (o) => I.heNormal(o),
  // the aliases are JAX's: the same functions, so the message names the original
  xavierUniform: [(o: never) => I.xavierUniform(o), "nn.initializers.glorotUniform"],
  xavierNormal: [(o: never) => I.xavierNormal(o), "nn.initializers.glorotNormal"],
  kaimingUniform: [(o: never) => I.kaimingUniform(o), "nn.initializers.heUniform"],
  kaimingNormal: [(o: never) => I.kaimingNormal(o), "nn.initializers.heNormal"]
}
const initNone: NoOptions<typeof I> = ["zeros", "ones"]
const nnNone: NoOptions<typeof nn> = [
  "hardTanh",
  "hardSigmoid",
  "hardSilu",
  "hardSwish",
  "sparsePlus",
  "sparseSigmoid",
  "tanh",
  "identity",
  "celu",
  "mish",
  "softSign",
  "squareplus",
  "log1mexp",
  "elu",
  "leakyRelu",
  "logSigmoid",
  "relu",
  "relu6",
  "selu",
  "sigmoid",
  "silu",
  "softplus",
  "swish"
]

const randomTable: OptionsTable<typeof random> = {
  bits: (o) => random.bits(key, [2], o),
  normal: (o) => random.normal(key, [2], o),
  exponential: (o) => random.exponential(key, [2], o),
  laplace: (o) => random.laplace(key, [2], o),
  logistic: (o) => random.logistic(key, [2], o),
  randint: (o) => random.randint(key, [2], 0, 3, o),
  truncatedNormal: (o) => random.truncatedNormal(key, -1, 1, [2], o),
  uniform: (o) => random.uniform(key, [2], o),
  permutation: (o) => random.permutation(key, 3, o),
  choice: (o) => random.choice(key, 3, [2], o),
  gumbel: (o) => random.gumbel(key, [2], o),
  categorical: (o) => random.categorical(key, x, o),
  multivariateNormal: (o) => random.multivariateNormal(key, v, np.eye(3), o),
  gamma: (o) => random.gamma(key, 2, [2], o),
  loggamma: (o) => random.loggamma(key, 2, [2], o),
  beta: (o) => random.beta(key, 2, 3, [2], o),
  dirichlet: (o) => random.dirichlet(key, [1, 2], null, o),
  cauchy: (o) => random.cauchy(key, [2], o),
  pareto: (o) => random.pareto(key, 2, [2], o),
  t: (o) => random.t(key, 3, [2], o),
  chisquare: (o) => random.chisquare(key, 3, [2], o),
  f: (o) => random.f(key, 3, 4, [2], o),
  lognormal: (o) => random.lognormal(key, 1, [2], o),
  weibullMin: (o) => random.weibullMin(key, 1, 2, [2], o),
  rayleigh: (o) => random.rayleigh(key, 1, [2], o),
  wald: (o) => random.wald(key, 1, [2], o),
  triangular: (o) => random.triangular(key, 0, 1, 2, [2], o),
  rademacher: (o) => random.rademacher(key, [2], o),
  maxwell: (o) => random.maxwell(key, [2], o),
  doubleSidedMaxwell: (o) => random.doubleSidedMaxwell(key, 0, 1, [2], o),
  generalizedNormal: (o) => random.generalizedNormal(key, 2, [2], o),
  ball: (o) => random.ball(key, 2, 2, [2], o),
  orthogonal: (o) => random.orthogonal(key, 2, [], o),
  poisson: (o) => random.poisson(key, 2, [2], o),
  binomial: (o) => random.binomial(key, 5, 0.5, [2], o),
  multinomial: (o) => random.multinomial(key, 5, [0.5, 0.5], o),
  geometric: (o) => random.geometric(key, 0.5, [2], o)
}
const randomNone: NoOptions<typeof random> = [
  "PRNGKey",
  "PRNGKeyArray",
  "bernoulli",
  "checkKeyReuse",
  "clone",
  "foldIn",
  "isCheckingKeyReuse",
  "isThreefryPartitionable",
  "key",
  "keyData",
  "seedWords",
  "split",
  "threefryPartitionable",
  "wrapKeyData",
  "keyDtype",
  "keyImpl",
  "threefry2x32"
]

class Point {
  constructor(readonly a: number) {}
}
const treeTable: OptionsTable<typeof tree> = {
  flatten: (o) => tree.flatten([1], o),
  flattenWithPath: (o) => tree.flattenWithPath([1], o),
  leaves: (o) => tree.leaves([1], o),
  structure: (o) => tree.structure([1], o),
  mapWith: (o) => tree.mapWith(o, (l) => l, [1]),
  mapWithPath: (o) => tree.mapWithPath((_p, l) => l, [1], o),
  broadcastPrefix: (o) => tree.broadcastPrefix(0, [1], o),
  registerNode: (o) => tree.registerNode(Point, { flatten: (p: Point) => [[p.a], null], unflatten: (_a, [a]) => new Point(a as number), ...(o as object) }),
  leavesWithPath: (o) => tree.leavesWithPath([1], o),
  broadcast: (o) => tree.broadcast(0, [1], o),
  reduceAssociative: (o) => tree.reduceAssociative((a: number, b: number) => a + b, [1], o),
  allLeaves: (o) => tree.allLeaves([1], o),
  keystr: (o) => tree.keystr([0], o),
  registerDataclass: (o) => tree.registerDataclass(class D {}, { dataFields: [], ...(o as object) }),
  registerStatic: (o) => tree.registerStatic(class S {}, o)
}
const treeNone: NoOptions<typeof tree> = [
  "GetAttrKey",
  "TreeDef",
  "all",
  "flattenOneLevel",
  "flattenUpTo",
  "isRegistered",
  "isTreeNode",
  "map",
  "reduce",
  "transpose",
  "unflatten"
]

const debugNone: NoOptions<typeof debug> = ["formatPrint", "print", "setPrintSink"]
const debugTable: OptionsTable<typeof debug> = {
  visualizeArraySharding: (o) => debug.visualizeArraySharding(np.arange(4), o),
  visualizeSharding: (o) => debug.visualizeSharding([4], new NamedSharding(makeMesh([1], ["x"]), P()), o)
}

// bind's params are a primitive's parameters, not options: the primitive's shape rule checks them.
type RootExcept = "bind" | "bind1"
const rootTable: OptionsTable<typeof root, RootExcept> = {
  grad: (o) => grad(f, o),
  valueAndGrad: (o) => valueAndGrad(f, o),
  jit: (o) => jit(f, o),
  makeJaxpr: (o) => makeJaxpr(f, o),
  vmap: (o) => vmap(f, o),
  jacfwd: (o) => jacfwd(f, o),
  jacrev: (o) => jacrev(f, o),
  hessian: (o) => hessian(f, o),
  customJvp: (o) => customJvp(f, o),
  customVjp: (o) => customVjp(f, o),
  customGradient: (o) => root.customGradient((a: Array) => [f(a), (g: Array) => g], o),
  jacobian: (o) => root.jacobian(f, o),
  pureCallback: (o) => root.pureCallback(() => x, new root.ShapeDtypeStruct([2, 2], "float32"), [], o),
  pmap: (o) => pmap(f, o),
  shardMap: (o) => shardMap(f, { mesh: makeMesh([1], ["x"]), inSpecs: P(), outSpecs: P(), ...(o as object) })
}
// checkpoint (remat) takes no options yet (JAX's policy, prevent_cse and static_argnums are not implemented).
const rootNone: NoOptions<typeof root, RootExcept> = [
  "Array",
  "JaxArray",
  "ClosedJaxpr",
  "Jaxpr",
  "Primitive",
  "ShapedArray",
  "UndefPrimal",
  "Zero",
  "bind",
  "bind1",
  "checkpoint",
  "definePrimitive",
  "linearTranspose",
  "LinearityError",
  "namedScope",
  "jvp",
  "linearize",
  "remat",
  "stopGradient",
  "vjp",
  "vjpWithAux",
  "isJaxfxError",
  "CodecError",
  "ConcretizationError",
  "DTypeError",
  "DeviceError",
  "IndexError",
  "KeyReuseError",
  "NameError",
  "NonScalarOutputError",
  "OverflowError",
  "ShapeError",
  "TreeError",
  "UnexpectedTracerError",
  "ValueError",
  // devices take a device or a tree, no options objects
  "Device",
  "defaultDevice",
  "deviceCount",
  "devices",
  "init",
  "localDeviceCount",
  "withDefaultDevice",
  "deviceGet",
  "devicePut",
  "devicePutAsync",
  "effectsBarrier",
  "effectsBarrierAsync",
  "openScope",
  "scope",
  // evalShape takes f and its arguments (any of which may be a tree), no options
  "evalShape",
  "ShapeDtypeStruct",
  // disableJit takes the function to run; clearCaches nothing
  "clearCaches",
  "disableJit",
  // meshes and partition specs take devices, names and specs, no options
  "Mesh",
  "NamedSharding",
  "P",
  "PartitionSpec",
  "makeMesh",
  // sharded arrays are made from blocks (or by devicePut with a sharding), no options
  "ShardedArray",
  "makeShardedArray",
  // a single device's sharding takes the device, no options
  "SingleDeviceSharding"
]

describe("every public function that takes options checks them (an export missing from both lists fails)", () => {
  it("np", () => checkNamespace("np.", np, npTable, npNone))
  it("lax", () => checkNamespace("lax.", lax, laxTable, laxNone))
  it("np.linalg", () => checkNamespace("np.linalg.", NL, npLinalgTable, npLinalgNone))
  it("lax.linalg", () => checkNamespace("lax.linalg.", L, laxLinalgTable, laxLinalgNone))
  it("np.fft", () => checkNamespace("np.fft.", NF, npFftTable, npFftNone))
  it("nn", () => checkNamespace("nn.", nn, nnTable, nnNone))
  it("nn.initializers", () => checkNamespace("nn.initializers.", I, initTable, initNone))
  it("random", () => checkNamespace("random.", random, randomTable, randomNone))
  it("tree", () => checkNamespace("tree.", tree, treeTable, treeNone))
  it("debug", () => checkNamespace("debug.", debug, debugTable, debugNone))
  it("the transformations", () => checkNamespace("", root, rootTable, rootNone))

  it("Array methods", async () => {
    const methods = Object.getOwnPropertyNames(Array.prototype).filter(
      (k) => k !== "constructor" && typeof Object.getOwnPropertyDescriptor(Array.prototype, k)?.value === "function"
    )
    const table = {
      sum: (o: never) => x.sum(o),
      prod: (o: never) => x.prod(o),
      mean: (o: never) => x.mean(o),
      max: (o: never) => x.max(o),
      min: (o: never) => x.min(o),
      all: (o: never) => x.all(o),
      any: (o: never) => x.any(o),
      var: (o: never) => x.var(o),
      std: (o: never) => x.std(o),
      argmax: (o: never) => x.argmax(o),
      argmin: (o: never) => x.argmin(o),
      cumsum: (o: never) => x.cumsum(o)
    }
    const none = [
      "toJs",
      "item",
      "str",
      "toJSON",
      "valueOf",
      "add",
      "sub",
      "mul",
      "div",
      "pow",
      "mod",
      "floorDiv",
      "neg",
      "abs",
      "sqrt",
      "exp",
      "log",
      "square",
      "eq",
      "ne",
      "lt",
      "le",
      "gt",
      "ge",
      "matmul",
      "dot",
      "astype",
      "reshape",
      "transpose",
      "swapaxes",
      "squeeze",
      "ravel",
      "flatten",
      "index",
      "at",
      "blockUntilReady",
      "blockUntilReadyAsync",
      "dataAsync",
      "devices"
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
