/**
 * Buffer donation (JAX's donate_argnums): the arrays of the donated positional arguments are
 * consumed by the call, so after it they are deleted and any use is a DeviceError that names the
 * call. The backend may then reuse their memory (a training step's old parameters).
 */
import { ArrayImpl } from "../array.js"
import { ValueError } from "../errors.js"
import { argIndices } from "../shape.js"
import { currentLevel } from "../trace.js"
import { flatten } from "../tree.js"

/** The donated argument indices, checked (none may also be static). */
export const donatedIndices = (donate: unknown, statics: ReadonlyArray<number>, who: string): number[] => {
  if (donate === undefined) return []
  const idx = argIndices(donate, `${who}: donateArgnums`)
  for (const i of idx) {
    if (i < 0) throw new ValueError(`${who}: donateArgnums entries must be non-negative argument indices, got ${i}.`)
    if (statics.includes(i)) throw new ValueError(`${who}: argument ${i} is both static and donated; only array arguments can be donated.`)
  }
  return idx
}

/**
 * After a call: delete the concrete arrays of the donated arguments, except those whose buffer a
 * result shares (a function that returns its argument). Under a transformation nothing is donated.
 */
export const consumeDonated = (args: ReadonlyArray<unknown>, idx: ReadonlyArray<number>, result: unknown, who: string): void => {
  if (idx.length === 0 || currentLevel() !== 0) return
  const kept = new Set<unknown>()
  for (const o of flatten(result)[0]) if (o instanceof ArrayImpl && !o.isDeleted()) kept.add(o.buffer)
  for (const i of idx) {
    for (const l of flatten(args[i])[0]) if (l instanceof ArrayImpl && !l.isDeleted() && !kept.has(l.buffer)) l.donate(who)
  }
}
