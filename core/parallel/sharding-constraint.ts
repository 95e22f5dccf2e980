/**
 * `lax.withShardingConstraint`: inside a jit with shardings, say how an intermediate value is laid
 * out over the mesh (the partitioner reshards it there). Elsewhere it is the identity.
 *
 * The equation exists only in the program a sharded jit traces and partitions (never compiled
 * as it is), so its primitive is not registered with the compiled ones.
 */
import type { Array } from "../array.js"
import { Primitive } from "../primitive.js"
import { moveBatchAxis } from "../primitives/layout.js"
import { bind } from "../trace.js"
import { NamedSharding, PartitionSpec } from "./mesh.js"
import { ValueError } from "../errors.js"

export interface ShardingConstraintParams {
  readonly sharding: NamedSharding
  readonly [k: string]: unknown
}

export const shardingConstraintP = new Primitive<ShardingConstraintParams>("sharding_constraint", ([x]) => [x!])
shardingConstraintP.impl = ([x]) => [x!]
shardingConstraintP.jvp = ([x], [t], p) => [bind(shardingConstraintP, [x!], p), bind(shardingConstraintP, [t!], p)]
shardingConstraintP.transpose = ([ct]) => [ct!]
shardingConstraintP.batch = ([x], [d], { sharding }, size) => {
  const spec = new PartitionSpec(null, ...sharding.spec.entries)
  return [bind(shardingConstraintP, [moveBatchAxis(x!, d!, 0, size)], { sharding: new NamedSharding(sharding.mesh, spec) }), [0]]
}
shardingConstraintP.printParams = (p) => [["sharding", p.sharding.toString()]]

let active = 0
/** Run `f` while a sharded jit traces its program (constraints are recorded, not dropped). */
export const whilePartitioning = <A>(f: () => A): A => {
  active++
  try {
    return f()
  } finally {
    active--
  }
}

/**
 * Lay `x` out as `sharding` says at this point of a jit with shardings (JAX's
 * `jax.lax.with_sharding_constraint`); elsewhere x itself.
 *
 * @example
 * const mesh = makeMesh([2], ["x"])
 * const f = jit((a: Array) => lax.withShardingConstraint(a.mul(2), new NamedSharding(mesh, P())).sum(), { inShardings: new NamedSharding(mesh, P("x")) })
 */
export const withShardingConstraint = <T extends Array>(x: T, sharding: NamedSharding): T => {
  if (!(sharding instanceof NamedSharding)) throw new ValueError(`lax.withShardingConstraint: give a NamedSharding(mesh, P(...)), got ${String(sharding)}.`)
  sharding.splits(x.shape, "lax.withShardingConstraint")
  return active > 0 ? (bind(shardingConstraintP, [x], { sharding })[0] as T) : x
}
