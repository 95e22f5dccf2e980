/**
 * `random`: JAX's `jax.random` on threefry2x32 keys, bit-exact with JAX. Keys are explicit values:
 * make one with `key(seed)`, derive new ones with `split`/`foldIn`, and pass a fresh key to every
 * sampler. Everything is built on the `random_bits`/`random_split`/`random_fold_in` primitives
 * (and those on `threefry2x32`), so it works under jit, vmap (a batch of keys), grad and inside
 * lax.scan/forILoop with the same bits as eager.
 *
 * @example
 * import { random } from "jaxfx"
 * const key = random.key(0)
 * const [k1, k2] = random.split(key)
 * random.normal(k1, [3])
 * random.uniform(k2, [2, 2], { minval: -1, maxval: 1 })
 */
export {
  checkKeyReuse,
  clone,
  isCheckingKeyReuse,
  key,
  type KeyArray,
  keyData,
  type KeyDType,
  PRNGKey,
  PRNGKeyArray,
  seedWords,
  type SplitKeys,
  wrapKeyData
} from "./keys.js"
export {
  ball,
  cauchy,
  chisquare,
  doubleSidedMaxwell,
  f,
  generalizedNormal,
  lognormal,
  maxwell,
  orthogonal,
  type OrthogonalOptions,
  pareto,
  rademacher,
  type RademacherDType,
  rayleigh,
  t,
  triangular,
  wald,
  weibullMin
} from "./continuous.js"
export { binomial, geometric, multinomial, type MultinomialOptions, poisson } from "./discrete.js"
export { beta, dirichlet, gamma, loggamma } from "./gamma.js"
export { isThreefryPartitionable, threefryPartitionable } from "./prims.js"
export { keyDtype, keyImpl, threefry2x32 } from "./threefry.js"
export {
  bernoulli,
  bits,
  categorical,
  type CategoricalOptions,
  choice,
  type ChoiceOptions,
  type DTypeArg,
  exponential,
  type FloatDType,
  foldIn,
  gumbel,
  type GumbelMode,
  type GumbelOptions,
  type IntDType,
  laplace,
  logistic,
  multivariateNormal,
  type MultivariateNormalOptions,
  normal,
  permutation,
  type PermutationOptions,
  randint,
  type Real,
  type ShapeArg,
  split,
  truncatedNormal,
  uniform,
  type UniformOptions
} from "./random.js"
