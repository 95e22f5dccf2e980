"""lax.ragged_dot from real JAX: values (group sizes summing to less, exactly, and more than the rows,
empty groups, int32 operands) and the gradients of sum(out * c). Read by
core/lax/ragged-dot.golden.test.ts. Each case: {"id", "args", "out"} (golden/common.py collector).

Run: /work/venv/bin/python golden/lax_ragged_dot.py
"""
import numpy as np
import jax
import jax.numpy as jnp
from jax import lax

from common import collector, write

jax.config.update("jax_enable_x64", False)
cases, case = collector()
r = np.random.RandomState(0)
L = r.uniform(-1, 1, (7, 3)).astype(np.float32)
R = r.uniform(-1, 1, (4, 3, 2)).astype(np.float32)
case("exact", lambda l, w, g: lax.ragged_dot(l, w, g), L, R, np.array([2, 1, 3, 1], np.int32))
case("fewer rows grouped", lambda l, w, g: lax.ragged_dot(l, w, g), L, R, np.array([2, 0, 3, 0], np.int32))
case("more than the rows", lambda l, w, g: lax.ragged_dot(l, w, g), L, R, np.array([3, 3, 3, 3], np.int32))
case("int32", lambda l, w, g: lax.ragged_dot(l, w, g), np.arange(12, dtype=np.int32).reshape(4, 3), np.arange(18, dtype=np.int32).reshape(2, 3, 3) - 5, np.array([1, 3], np.int32))
C = r.uniform(-1, 1, (7, 2)).astype(np.float32)
G = np.array([2, 1, 3, 0], np.int32)
loss = lambda l, w: jnp.sum(lax.ragged_dot(l, w, G) * C)
case("grad lhs", lambda l, w: jax.grad(loss, 0)(l, w), L, R)
case("grad rhs", lambda l, w: jax.grad(loss, 1)(l, w), L, R)
case("cotangent", lambda c: c, C)
write("lax_ragged_dot", cases)
