/**
 * The WebGPU device's routines, by primitive object: what the loop-level kernel IR cannot express.
 * Every other primitive runs as a generated fused kernel (codegen.ts), through its impl, or is a
 * DeviceError (coverage.ts lists which).
 */
import { bitcastConvertTypeP, erfInvP, shiftLeftP, shiftRightArithmeticP, shiftRightLogicalP, sortP, threefry2x32P } from "../../core/primitives/bits.js"
import { convGeneralDilatedP } from "../../core/primitives/conv.js"
import { dotGeneralP } from "../../core/primitives/dot.js"
import { gatherP, scatterP } from "../../core/primitives/indexing.js"
import { choleskyP } from "../../core/primitives/linalg/cholesky.js"
import { eighP } from "../../core/primitives/linalg/eigh.js"
import { luP, luPivotsToPermutationP } from "../../core/primitives/linalg/lu.js"
import { qrP } from "../../core/primitives/linalg/qr.js"
import { svdP } from "../../core/primitives/linalg/svd.js"
import { triangularSolveP } from "../../core/primitives/linalg/triangular-solve.js"
import { tridiagonalSolveP } from "../../core/primitives/linalg/tridiagonal-solve.js"
import { cumprodP, cumsumP } from "../../core/primitives/reduce.js"
import type { Primitive } from "../../core/primitive.js"
import { fftPairsP } from "../cpu/fft/pairs.js"
import { bitcastConvertType, shiftLeft, shiftRightArithmetic, shiftRightLogical, threefry2x32 } from "./bits.js"
import { convGeneralDilated } from "./conv.js"
import { cumprod, cumsum } from "./cumulative.js"
import { dotGeneral } from "./dot.js"
import { erfInv } from "./erfinv.js"
import { fftPairs } from "./fft.js"
import { collectiveRoutines } from "./collectives.js"
import { gather, scatter } from "./indexing.js"
import { cholesky, triangularSolve, tridiagonalSolve } from "./linalg.js"
import { eigh } from "./linalg/eigh.js"
import { lu, luPivotsToPermutation } from "./linalg/lu.js"
import { qr } from "./linalg/qr.js"
import { svd } from "./linalg/svd.js"
import { sort } from "./sort.js"
import type { Routine } from "./routine.js"

const table = new Map<Primitive, Routine>()
const register = <P extends Primitive<never>>(p: P, r: Routine): void => {
  table.set(p as unknown as Primitive, r)
}

register(dotGeneralP, dotGeneral)
register(threefry2x32P, threefry2x32)
register(shiftLeftP, shiftLeft)
register(shiftRightLogicalP, shiftRightLogical)
register(shiftRightArithmeticP, shiftRightArithmetic)
register(bitcastConvertTypeP, bitcastConvertType)
register(erfInvP, erfInv)
register(cumsumP, cumsum)
register(cumprodP, cumprod)
register(gatherP, gather)
register(scatterP, scatter)
register(sortP, sort)
register(convGeneralDilatedP, convGeneralDilated)
register(choleskyP, cholesky)
register(triangularSolveP, triangularSolve)
register(tridiagonalSolveP, tridiagonalSolve)
register(qrP, qr)
register(luP, lu)
register(luPivotsToPermutationP, luPivotsToPermutation)
register(eighP, eigh)
register(svdP, svd)
register(fftPairsP, fftPairs)
for (const [p, r] of collectiveRoutines) table.set(p, r)

/** The routine for a primitive, or undefined. */
export const routineFor = (p: Primitive): Routine | undefined => table.get(p)

/** The primitives that have a routine. */
export const routinePrimitives = (): ReadonlyArray<Primitive> => [...table.keys()]
