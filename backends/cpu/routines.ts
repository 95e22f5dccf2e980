/**
 * The CPU's routines: what the loop-level kernel IR cannot express, registered by primitive
 * object. Compiled programs (eager operations are one-equation programs) run every other
 * primitive as generated fused kernels (compile/).
 */
import { bitcastConvertTypeP, erfInvP, shiftLeftP, shiftRightArithmeticP, shiftRightLogicalP, sortP, threefry2x32P } from "../../core/primitives/bits.js"
import { convGeneralDilatedP } from "../../core/primitives/conv.js"
import { dotGeneralP } from "../../core/primitives/dot.js"
import { gatherP, scatterP } from "../../core/primitives/indexing.js"
import { cumprodP, cumsumP } from "../../core/primitives/reduce.js"
import { padP } from "../../core/primitives/shape-ops.js"
import { allGatherP, allToAllP, axisIndexP, pmaxP, pminP, ppermuteP, psumP, reduceScatterP } from "../../core/parallel/collectives.js"
import { raggedAllToAllP } from "../../core/parallel/ragged-all-to-all.js"
import {
  choleskyP,
  eighP,
  eigPartsP,
  linalgPartsP,
  luP,
  luPivotsToPermutationP,
  qrP,
  schurP,
  schurPartsP,
  svdP,
  triangularSolveP,
  tridiagonalSolveP
} from "../../core/primitives/linalg/index.js"
import type { Primitive } from "../../core/primitive.js"
import { bitsKernels } from "./bits.js"
import { fftPairsKernel, fftPairsP } from "./fft/pairs.js"
import { collectiveKernels } from "./collectives.js"
import { convKernels } from "./conv.js"
import { dotKernels } from "./dot.js"
import { indexingKernels } from "./indexing.js"
import { linalgKernels } from "./linalg/index.js"
import type { Kernel } from "./kernel.js"
import { reduceKernels } from "./reduce.js"
import { shapeKernels } from "./shape-ops.js"

const table = new Map<Primitive, Kernel>()
const register = <P extends Primitive<never>>(p: P, k: Kernel | undefined): void => {
  if (k === undefined) throw new Error(`jaxfx cpu backend: no routine for ${p.name}`)
  table.set(p as unknown as Primitive, k)
}

register(dotGeneralP, dotKernels.dot_general)
register(convGeneralDilatedP, convKernels.conv_general_dilated)
register(gatherP, indexingKernels.gather)
register(scatterP, indexingKernels.scatter)
register(cumsumP, reduceKernels.cumsum)
register(cumprodP, reduceKernels.cumprod)
// pad with interior padding (edge padding fuses into kernels as guarded loads).
register(padP, shapeKernels.pad)
register(sortP, bitsKernels.sort)
register(threefry2x32P, bitsKernels.threefry2x32)
register(bitcastConvertTypeP, bitsKernels.bitcast_convert_type)
register(erfInvP, bitsKernels.erf_inv)
register(shiftLeftP, bitsKernels.shift_left)
register(shiftRightLogicalP, bitsKernels.shift_right_logical)
register(shiftRightArithmeticP, bitsKernels.shift_right_arithmetic)
// Decompositions and solves (lax.linalg), batched over leading dimensions.
register(choleskyP, linalgKernels.cholesky)
register(triangularSolveP, linalgKernels.triangular_solve)
register(luP, linalgKernels.lu)
register(luPivotsToPermutationP, linalgKernels.lu_pivots_to_permutation)
register(qrP, linalgKernels.qr)
register(eighP, linalgKernels.eigh)
register(eigPartsP, linalgKernels.eig_parts)
register(linalgPartsP, linalgKernels.linalg_parts)
register(svdP, linalgKernels.svd)
register(schurP, linalgKernels.schur)
register(schurPartsP, linalgKernels.schur_parts)
register(tridiagonalSolveP, linalgKernels.tridiagonal_solve)
// lax.fft, on interleaved (re, im) parts (the complex rewrite of ./complex.ts binds fft_pairs).
register(fftPairsP, fftPairsKernel)
// Collectives of a per-device program (pmap across CPU devices), over shared memory.
register(psumP, collectiveKernels.psum)
register(pmaxP, collectiveKernels.pmax)
register(pminP, collectiveKernels.pmin)
register(allGatherP, collectiveKernels.all_gather)
register(reduceScatterP, collectiveKernels.reduce_scatter)
register(ppermuteP, collectiveKernels.ppermute)
register(allToAllP, collectiveKernels.all_to_all)
register(axisIndexP, collectiveKernels.axis_index)
register(raggedAllToAllP, collectiveKernels.ragged_all_to_all)

/** The routine for a primitive, or undefined (fused kernels and impls handle the rest). */
export const routineFor = (p: Primitive): Kernel | undefined => table.get(p)
