"""lax.tile/split/index_take/nextafter/broadcast_to_rank/broadcast_like and jnp.rollaxis/i0 from
real JAX. Read by core/lax/shape-helpers.golden.test.ts. Each case: {"id", "args", "out"}
(golden/common.py collector); the id names the call the test makes.

Run: /work/venv/bin/python golden/lax_gaps.py
"""
import numpy as np
import jax
import jax.numpy as jnp
from jax import lax

from common import collector, write

jax.config.update("jax_enable_x64", False)
cases, case = collector()

A = np.arange(24, dtype=np.float32).reshape(2, 3, 4) - 5.5
I = np.arange(12, dtype=np.int32).reshape(3, 4)
case("tile", lambda a: lax.tile(a, [2, 1, 3]), A)
case("tile int", lambda a: lax.tile(a, [1, 2]), I)
case("split axis1", lambda a: lax.split(a, [1, 0, 2], axis=1), A)
case("split axis-1", lambda a: lax.split(a, [3, 1], axis=-1), I)
case("indexTake 2 axes", lambda a, i, j: lax.index_take(a, (i, j), (0, 1)), I, np.array([0, -1, 5, 2], np.int32), np.array([1, 2, 3, -4], np.int32))
case("indexTake axis1", lambda a, i: lax.index_take(a, (i,), (1,)), A, np.array([2, 0, -1], np.int32))
case("indexTake axes 0,2", lambda a, i, j: lax.index_take(a, (i, j), (0, 2)), A, np.array([1, 0], np.int32), np.array([3, 1], np.int32))
F = np.array([1.0, -1.0, 0.0, -0.0, 0.0, np.inf, np.nan, 3.0, 1e-45], np.float32)
G = np.array([2.0, -2.0, 1.0, -1.0, -1.0, 0.0, 1.0, np.nan, 0.0], np.float32)
case("nextafter", lambda a, b: lax.nextafter(a, b), F, G)
case("broadcastToRank", lambda a: lax.broadcast_to_rank(a, 4), I)
case("broadcastToRank same", lambda a: lax.broadcast_to_rank(a, 1), I)
case("broadcastLike", lambda a, b: lax.broadcast_like(a, b), np.array([1.0, 2.0, 3.0, 4.0], np.float32), A)
case("rollaxis 2", lambda a: jnp.rollaxis(a, 2), A)
case("rollaxis 0 to 2", lambda a: jnp.rollaxis(a, 0, 2), A)
case("rollaxis -1 to 3", lambda a: jnp.rollaxis(a, -1, 3), A)
case("rollaxis 1 to -3", lambda a: jnp.rollaxis(a, 1, -3), A)
case("i0", lambda a: jnp.i0(a), np.array([0.0, 1.0, -2.0, 10.0, -0.0, np.inf, np.nan, 30.0], np.float32))
case("i0 int", lambda a: jnp.i0(a), np.array([1, -3], np.int32))

write("lax_gaps", cases)
