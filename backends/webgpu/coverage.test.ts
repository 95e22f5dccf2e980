/**
 * Which primitives the WebGPU device runs (issue 15 tracks the rest). Both lists are pinned: a
 * primitive that loses its kernel fails here, and one that gains a kernel (or a new primitive)
 * must be moved into the right list, so this file documents the coverage.
 */
import { describe, expect, it } from "vitest"
import { DeviceError, devicePut, jit, np } from "../../index.js"
import { webgpuCoverage } from "./coverage.js"
import { webgpuForTests } from "./test-helpers.js"

const SUPPORTED: Readonly<Record<string, "fused" | "routine" | "control" | "complex" | "impl">> = {
  // generated WGSL kernels (fused chains, views, reductions)
  ...Object.fromEntries(
    [
      "abs",
      "acos",
      "add",
      "and",
      "argmax",
      "argmin",
      "asin",
      "atan",
      "atan2",
      "broadcast_in_dim",
      "ceil",
      "concatenate",
      "convert_element_type",
      "cos",
      "cosh",
      "div",
      "eq",
      "erf",
      "exp",
      "exp2",
      "expm1",
      "floor",
      "ge",
      "gt",
      "integer_pow",
      "iota",
      "is_finite",
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
      "reduce_max",
      "reduce_min",
      "reduce_prod",
      "reduce_sum",
      "rem",
      "reshape",
      "rev",
      "round",
      "rsqrt",
      "select_n",
      "sign",
      "sin",
      "sinh",
      "slice",
      "sqrt",
      "stop_gradient",
      "sub",
      "tan",
      "tanh",
      "transpose",
      "xor"
    ].map((n) => [n, "fused" as const])
  ),
  // routines of their own
  dot_general: "routine",
  threefry2x32: "routine",
  shift_left: "routine",
  shift_right_logical: "routine",
  shift_right_arithmetic: "routine",
  bitcast_convert_type: "routine",
  cholesky: "routine",
  conv_general_dilated: "routine",
  cumprod: "routine",
  cumsum: "routine",
  erf_inv: "routine",
  gather: "routine",
  scatter: "routine",
  sort: "routine",
  triangular_solve: "routine",
  tridiagonal_solve: "routine",
  qr: "routine",
  lu: "routine",
  lu_pivots_to_permutation: "routine",
  eigh: "routine",
  svd: "routine",
  fft_pairs: "routine",
  // collectives of a pmap over one WebGPU device (collectives.ts)
  all_gather: "routine",
  all_to_all: "routine",
  axis_index: "routine",
  pmax: "routine",
  pmin: "routine",
  ppermute: "routine",
  psum: "routine",
  reduce_scatter: "routine",
  // control flow recorded around its sub-programs
  cond: "control",
  scan: "control",
  while: "control",
  // rewritten into real arithmetic on (re, im) parts (complex.ts; lax.fft as fft_pairs)
  complex: "complex",
  conj: "complex",
  fft: "complex",
  imag: "complex",
  real: "complex",
  // impls in terms of other primitives (run as far as those have kernels)
  checkpoint: "impl",
  custom_jvp_call: "impl",
  custom_lin: "impl",
  custom_vjp_call: "impl",
  debug_print: "impl",
  pure_callback: "impl",
  jit: "impl",
  random_bits: "impl",
  random_fold_in: "impl",
  random_split: "impl",
  rng_bit_generator: "impl",
  rng_uniform: "impl"
}

/** No WebGPU kernel yet: a DeviceError on the device (pad counts as fused: interior padding is missing too). */
const MISSING = ["eig", "eig_parts", "schur", "schur_parts"]

describe("WebGPU coverage", () => {
  it("the primitives with kernels and those without are the pinned lists", () => {
    const c = webgpuCoverage()
    expect(c.supported).toEqual(SUPPORTED)
    expect(c.missing).toEqual(MISSING)
  })
})

const gpu = await webgpuForTests()

describe.skipIf(gpu === undefined)("a primitive without a WebGPU kernel", { timeout: 120_000 }, () => {
  it("is a DeviceError that says how to run it on the CPU, eagerly and when compiled", () => {
    const x = devicePut(
      np.array(
        [
          [4, 1],
          [1, 3]
        ],
        { dtype: "float32" }
      ),
      gpu!
    )
    const message = /the WebGPU device has no kernel for the primitive "eig(_parts)?" yet .* devicePut\(x, devices\("cpu"\)\[0\]\)/
    const eager = () => np.linalg.eigvals(x)
    const compiled = () => jit((a: typeof x) => np.linalg.eigvals(a))(x)
    for (const f of [eager, compiled]) {
      expect(f).toThrow(DeviceError)
      expect(f).toThrow(message)
    }
  })
})
