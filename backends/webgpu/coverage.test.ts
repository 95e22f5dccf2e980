/**
 * Which primitives the WebGPU device runs (issue 15 tracks the rest). Both lists are pinned: a
 * primitive that loses its kernel fails here, and one that gains a kernel (or a new primitive)
 * must be moved into the right list, so this file documents the coverage.
 */
import { describe, expect, it } from "vitest"
import "../../index.js"
import { webgpuCoverage } from "./coverage.js"

const SUPPORTED: Readonly<Record<string, "fused" | "routine" | "control" | "complex" | "host" | "impl">> = {
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
  ragged_all_to_all: "routine",
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
  // a documented round trip to the host CPU, as JAX's GPU backends make (host.ts; host.test.ts)
  eig: "host",
  eig_parts: "host",
  linalg_parts: "host",
  schur: "host",
  schur_parts: "host",
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

/** No WebGPU kernel: a DeviceError on the device (missing.ts). */
const MISSING: ReadonlyArray<string> = []

describe("WebGPU coverage", () => {
  it("the primitives with kernels and those without are the pinned lists", () => {
    const c = webgpuCoverage()
    expect(c.supported).toEqual(SUPPORTED)
    expect(c.missing).toEqual(MISSING)
  })
})
