"""Sharded arrays and jit over a mesh, from real JAX on 8 CPU devices:
- "layout" cases: for a mesh and a PartitionSpec, each device's shard index (start/stop per
  dimension, a whole dimension as [0, size]), replica id, and the text jax.debug.visualize_array_sharding
  prints (rich's plain output, as it prints when stdout is not a terminal);
- "jit" cases: jit(f, in_shardings, out_shardings) programs (with with_sharding_constraint), their
  outputs and the shard shapes of the result.
The TypeScript tests (core/parallel/sharded-array.test.ts, partition.test.ts) use the same names.

Needs `rich` in the venv (pip install --index-url file:///opt/pypi/simple rich).
Run: XLA_FLAGS=--xla_force_host_platform_device_count=8 /work/venv/bin/python golden/sharding.py
"""
import contextlib
import io
import os

os.environ.setdefault("XLA_FLAGS", "--xla_force_host_platform_device_count=8")
import numpy as np
import jax
import jax.numpy as jnp
from jax.sharding import Mesh, NamedSharding, PartitionSpec as P

from common import enc, write

jax.config.update("jax_platforms", "cpu")
devs = np.array(jax.devices()[:8])
meshes = {
    "x2": Mesh(devs[:2], ("x",)),
    "x8": Mesh(devs, ("x",)),
    "x2y1": Mesh(devs[:2].reshape(2, 1), ("x", "y")),
    "x1y2": Mesh(devs[:2].reshape(1, 2), ("x", "y")),
    "x2y4": Mesh(devs.reshape(2, 4), ("x", "y")),
    "x4y2": Mesh(devs.reshape(4, 2), ("x", "y")),
}


def spec_json(spec):
    return [None if e is None else (e if isinstance(e, str) else list(e)) for e in spec]


def visualize(x):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        jax.debug.visualize_array_sharding(x)
    return buf.getvalue()


# (mesh, spec, shape)
layouts = [
    ("x2", P("x"), [8, 4]),
    ("x2", P(None, "x"), [8, 4]),
    ("x2", P(), [8, 4]),
    ("x2", P("x"), [6]),
    ("x2", P(), [5]),
    ("x2y1", P("x", "y"), [4, 6]),
    ("x1y2", P("x", "y"), [4, 6]),
    ("x1y2", P("y"), [16, 16]),
    ("x8", P("x"), [16]),
    ("x8", P("x", None), [8, 2]),
    ("x2y4", P("x", "y"), [8, 4]),
    ("x2y4", P("x"), [8, 4]),
    ("x2y4", P(None, "x"), [8, 4]),
    ("x2y4", P("y", "x"), [8, 4]),
    ("x2y4", P(("x", "y")), [8]),
    ("x2y4", P(("x", "y"), None), [16, 2]),
    ("x2y4", P(), [8, 4]),
    ("x4y2", P("x", "y"), [8, 8]),
    ("x4y2", P("y"), [4, 40]),
]

cases = []
for mesh, spec, shape in layouts:
    x = jnp.arange(int(np.prod(shape)), dtype=jnp.float32).reshape(shape)
    y = jax.device_put(x, NamedSharding(meshes[mesh], spec))
    shards = []
    for s in sorted(y.addressable_shards, key=lambda s: s.device.id):
        idx = [[sl.start or 0, shape[d] if sl.stop is None else sl.stop] for d, sl in enumerate(s.index)]
        shards.append({"device": s.device.id, "index": idx, "replica": s.replica_id, "shape": list(s.data.shape)})
    cases.append({"kind": "layout", "id": f"{mesh} {spec} {shape}", "mesh": mesh, "spec": spec_json(spec), "shape": shape,
                  "shards": shards, "replicated": bool(y.is_fully_replicated), "text": visualize(y)})


def wsc(mesh, spec):
    return lambda v: jax.lax.with_sharding_constraint(v, NamedSharding(meshes[mesh], spec))


# name -> (mesh, f, in specs, out spec, argument shapes)
programs = {
    "elementwise stays sharded": ("x2", lambda a, b: jnp.sin(a) * b + 1, (P("x"), P("x")), P("x"), ([8, 4], [8, 4])),
    "elementwise with a replicated operand": ("x2", lambda a, b: a * b - a, (P("x"), P()), P("x"), ([8, 4], [8, 4])),
    "sum over a sharded axis": ("x2", lambda a: a.sum(0), (P("x", None),), P(), ([8, 3],)),
    "sum over an unsharded axis": ("x2", lambda a: a.sum(1), (P("x"),), P("x"), ([8, 3],)),
    "max over a sharded axis": ("x2", lambda a: a.max(0), (P("x"),), P(), ([6, 5],)),
    "mean of everything": ("x2", lambda a: a.mean(), (P(None, "x"),), P(), ([4, 6],)),
    "matmul with a sharded contracting dim": ("x2", lambda a, w: a @ w, (P(None, "x"), P("x", None)), P(), ([4, 6], [6, 3])),
    "batch-sharded matmul": ("x2", lambda a, w: a @ w, (P("x", None), P()), P("x", None), ([8, 6], [6, 3])),
    "matmul with sharded output columns": ("x2", lambda a, w: a @ w, (P(), P(None, "x")), P(None, "x"), ([4, 6], [6, 4])),
    "mlp layer": ("x2", lambda x, w, b: jnp.tanh(x @ w + b), (P("x"), P(), P()), P("x"), ([8, 5], [5, 4], [4])),
    "row vector broadcast": ("x2", lambda a, b: a + b[None, :] * 2, (P("x", None), P()), P("x", None), ([6, 3], [3])),
    "transpose": ("x2", lambda a: a.T * 3, (P("x", None),), P(None, "x"), ([4, 6],)),
    "sharding constraint to replicated": ("x2", lambda a: wsc("x2", P())(a * 2) + 1, (P("x"),), P(), ([8, 2],)),
    "sharding constraint to sharded": ("x2", lambda a: wsc("x2", P("x"))(a * 2).sum(0), (P(),), P(), ([8, 2],)),
    "resharded output": ("x2", lambda a: jnp.exp(a), (P("x"),), P(None, "x"), ([4, 4],)),
    "cumsum along a sharded axis": ("x2", lambda a: jnp.cumsum(a, axis=0), (P("x"),), P("x"), ([6, 2],)),
    "2-d mesh: square and sum rows": ("x2y4", lambda a: (a * a).sum(1), (P("x", "y"),), P("x"), ([4, 8],)),
    "2-d mesh: matmul over both axes": ("x2y4", lambda a, w: jnp.tanh(a @ w), (P("x", "y"), P("y", None)), P("x", None), ([4, 8], [8, 3])),
    "2-d mesh: sum over a dimension split by (x, y)": ("x2y4", lambda a: a.sum(0) * 2, (P(("x", "y")),), P(), ([16, 3],)),
}


def data(shape, k):
    n = int(np.prod(shape))
    return (np.sin(np.arange(n) * 1.3 + k) * 4).round(1).astype(np.float32).reshape(shape)


for name, (mesh, f, ins, out, shapes) in programs.items():
    m = meshes[mesh]
    args = [data(s, i) for i, s in enumerate(shapes)]
    g = jax.jit(f, in_shardings=tuple(NamedSharding(m, s) for s in ins), out_shardings=NamedSharding(m, out))
    y = g(*[jax.device_put(a, NamedSharding(m, s)) for a, s in zip(args, ins)])
    shard_shapes = [list(s.data.shape) for s in sorted(y.addressable_shards, key=lambda s: s.device.id)]
    cases.append({"kind": "jit", "id": name, "mesh": mesh, "in_specs": [spec_json(s) for s in ins], "out_spec": spec_json(out),
                  "args": [enc(a) for a in args], "out": enc(y), "shard_shapes": shard_shapes})

write("sharding", cases)
