/**
 * The named axes in scope: each `vmap(f, { axisName })` (and pmap, which runs through it) binds
 * its axis name, size and transformation for the duration of its body. A collective looks its
 * axis names up here, so it reaches the transformation that binds them even when its operand
 * does not depend on the mapped arguments (psum(1, "i") is the axis size).
 */
import { NameError, ValueError } from "../errors.js"
import { describe } from "../shape.js"
import type { MainTrace } from "../trace.js"

/** One bound axis: its name, its size and the transformation that binds it. */
export interface AxisFrame {
  readonly name: string
  readonly size: number
  readonly main: MainTrace
}

const frames: AxisFrame[] = []

/** Run `body` with `frame` bound (innermost wins for a repeated name). */
export const withAxisFrame = <A>(frame: AxisFrame, body: () => A): A => {
  frames.push(frame)
  try {
    return body()
  } finally {
    frames.pop()
  }
}

let lookups = 0
/** How many times a collective has looked up a bound axis (pmap's test for communication). */
export const collectiveCount = (): number => lookups

/** The innermost frame binding `name`, or a NameError that says how to bind it. */
export const lookupAxis = (name: string, who: string): AxisFrame => {
  for (let i = frames.length - 1; i >= 0; i--) {
    if (frames[i]!.name === name) {
      lookups++
      return frames[i]!
    }
  }
  const bound = frames.map((f) => `"${f.name}"`)
  throw new NameError(
    `${who}: unbound axis name "${name}": a collective needs an enclosing vmap or pmap that binds it, ` +
      `e.g. vmap(f, { axisName: "${name}" }) or pmap(f, { axisName: "${name}" })` +
      (bound.length === 0 ? "; no axis is bound here." : `; the bound axes here are ${bound.join(", ")}.`)
  )
}

/** An axis name argument: one name or a tuple of names (JAX's axis_name), as a checked list. */
export const axisNameList = (axisName: unknown, who: string): ReadonlyArray<string> => {
  const list = typeof axisName === "string" ? [axisName] : axisName
  if (!globalThis.Array.isArray(list) || list.length === 0 || list.some((n) => typeof n !== "string" || n.length === 0)) {
    throw new ValueError(`${who}: the axis name must be a non-empty string or a non-empty list of them, such as "i" or ["i", "j"]; got ${describe(axisName)}.`)
  }
  if (new Set(list).size !== list.length) throw new ValueError(`${who}: the axis names ${describe(axisName)} repeat a name; name each axis once.`)
  return list as ReadonlyArray<string>
}

/** A single axis name (collectives that take exactly one axis). */
export const singleAxisName = (axisName: unknown, who: string): string => {
  const list = axisNameList(axisName, who)
  if (list.length !== 1) throw new ValueError(`${who}: takes one axis name here, got ${describe(axisName)}; apply it once per axis instead.`)
  return list[0]!
}

/** The product of the sizes of the named axes (each must be bound). */
export const axisSizeOf = (names: ReadonlyArray<string>, who: string): number => names.reduce((n, name) => n * lookupAxis(name, who).size, 1)
