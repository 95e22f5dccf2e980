"""shard_map over 8 CPU devices: outputs (values and shapes) of per-device programs with collectives
over mesh axes, from real JAX. The TypeScript test (core/parallel/shard-map.test.ts) has the same
programs under the same names, on a 1-D mesh ("x": 8 or "x": 2) and a 2-D mesh ("x": 2, "y": 4).

Run: XLA_FLAGS=--xla_force_host_platform_device_count=8 /work/venv/bin/python golden/shard_map.py
"""
import os

os.environ.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=8")
import numpy as np
import jax
import jax.numpy as jnp
from jax import lax
from jax.sharding import Mesh, PartitionSpec as P

from common import collector, write

jax.config.update("jax_platforms", "cpu")
devs = np.array(jax.devices()[:8])
meshes = {
    "x8": Mesh(devs, ("x",)),
    "x2": Mesh(devs[:2], ("x",)),
    "x2y4": Mesh(devs.reshape(2, 4), ("x", "y")),
}

# name -> (mesh, f, in_specs, out_specs, argument shape)
programs = {
    "psum of block sums": ("x8", lambda b: lax.psum(b.sum(keepdims=True), "x"), P("x"), P(), [16]),
    "local blocks doubled": ("x8", lambda b: b * 2 + lax.axis_index("x"), P("x", None), P("x", None), [8, 3]),
    "allGather tiled": ("x2", lambda b: lax.all_gather(b, "x", tiled=True), P("x"), P(), [6]),
    "ppermute ring": ("x8", lambda b: lax.ppermute(b, "x", [(i, (i + 1) % 8) for i in range(8)]), P("x"), P("x"), [8, 2]),
    "psum over y of a 2-d mesh": ("x2y4", lambda b: lax.psum(b, "y"), P("x", "y"), P("x", None), [4, 8]),
    "psum over (x, y)": ("x2y4", lambda b: lax.psum(b, ("x", "y")), P("x", "y"), P(), [4, 8]),
    "matmul with a sharded contracting dim": ("x2", lambda a, w: lax.psum(a @ w, "x"), (P(None, "x"), P("x", None)), P(), ([4, 6], [6, 3])),
    "psumScatter": ("x2", lambda b: lax.psum_scatter(b, "x", tiled=True), P(None), P("x"), [4]),
    "axis indices of a 2-d mesh": ("x2y4", lambda b: b + lax.axis_index("x") * 10 + lax.axis_index("y"), P("x", "y"), P("x", "y"), [2, 4]),
}


def data(shape, k):
    n = int(np.prod(shape))
    return (np.sin(np.arange(n) * 1.3 + k) * 4).round(1).astype(np.float32).reshape(shape)


cases, case = collector()
for name, (mesh, f, ins, outs, shapes) in programs.items():
    shapes = shapes if isinstance(shapes, tuple) else (shapes,)
    args = [data(s, i) for i, s in enumerate(shapes)]
    g = jax.shard_map(f, mesh=meshes[mesh], in_specs=ins, out_specs=outs, check_vma=False)
    case(name, g, *args)
write("shard_map", cases)
