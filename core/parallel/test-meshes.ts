/**
 * The meshes the sharding golden file (golden/sharding.py) names, over this run's CPU devices, and
 * how many devices each needs (tests skip a case whose mesh needs more devices than there are).
 */
import { devices } from "../devices/registry.js"
import { Mesh, P, type PartitionSpec, type SpecEntry } from "./mesh.js"

export const meshNeeds: Readonly<Record<string, number>> = { x2: 2, x8: 8, x2y1: 2, x1y2: 2, x2y4: 8, x4y2: 8 }

export const goldenMesh = (name: string): Mesh => {
  const d = devices()
  switch (name) {
    case "x2":
      return new Mesh([d[0]!, d[1]!], ["x"])
    case "x8":
      return new Mesh(d.slice(0, 8), ["x"])
    case "x2y1":
      return new Mesh([[d[0]!], [d[1]!]], ["x", "y"])
    case "x1y2":
      return new Mesh([[d[0]!, d[1]!]], ["x", "y"])
    case "x2y4":
      return new Mesh([d.slice(0, 4), d.slice(4, 8)], ["x", "y"])
    case "x4y2":
      return new Mesh(
        [0, 2, 4, 6].map((i) => d.slice(i, i + 2)),
        ["x", "y"]
      )
    default:
      throw new Error(`no golden mesh named ${name}`)
  }
}

/** A PartitionSpec as the golden file writes it (null, a name, or a list of names per dimension). */
export const goldenSpec = (entries: ReadonlyArray<SpecEntry>): PartitionSpec => P(...entries)
