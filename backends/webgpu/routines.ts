/**
 * The WebGPU device's routines, by primitive object: what the loop-level kernel IR cannot express.
 * Every other primitive runs as a generated fused kernel (codegen.ts), through its impl, or is a
 * DeviceError (coverage.ts lists which).
 */
import { dotGeneralP } from "../../core/primitives/dot.js"
import type { Primitive } from "../../core/primitive.js"
import { dotGeneral } from "./dot.js"
import type { Routine } from "./routine.js"

const table = new Map<Primitive, Routine>()
const register = <P extends Primitive<never>>(p: P, r: Routine): void => {
  table.set(p as unknown as Primitive, r)
}

register(dotGeneralP, dotGeneral)

/** The routine for a primitive, or undefined. */
export const routineFor = (p: Primitive): Routine | undefined => table.get(p)

/** The primitives that have a routine. */
export const routinePrimitives = (): ReadonlyArray<Primitive> => [...table.keys()]
