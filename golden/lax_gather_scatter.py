"""lax.gather / lax.scatter* with full dimension numbers, from real JAX. Read by
core/lax/gather-scatter.golden.test.ts. Each case: {"id", "args", "out"} (golden/common.py
collector); the id names the call the test makes (same dimension numbers, slice sizes, mode).

Run: /work/venv/bin/python golden/lax_gather_scatter.py
"""
import numpy as np
import jax
import jax.numpy as jnp
from jax import lax

from common import collector, write

jax.config.update("jax_enable_x64", False)
cases, case = collector()
G = lax.GatherDimensionNumbers
S = lax.ScatterDimensionNumbers

X = (np.arange(12, dtype=np.float32).reshape(3, 4) - 4.5)
XI = np.arange(30, dtype=np.int32).reshape(5, 6)
XB = np.arange(30, dtype=np.float32).reshape(2, 5, 3)

rows = G(offset_dims=(1,), collapsed_slice_dims=(0,), start_index_map=(0,))
case("gather rows", lambda x, i: lax.gather(x, i, rows, (1, 4)), X, np.array([[2], [0], [2]], np.int32))
points = G(offset_dims=(), collapsed_slice_dims=(0, 1), start_index_map=(0, 1))
case("gather points", lambda x, i: lax.gather(x, i, points, (1, 1)), X, np.array([[0, 1], [2, 3], [1, 0]], np.int32))
case("gather points swapped map", lambda x, i: lax.gather(x, i, G(offset_dims=(), collapsed_slice_dims=(0, 1), start_index_map=(1, 0)), (1, 1)), X, np.array([[3, 0], [1, 2]], np.int32))
win = G(offset_dims=(1, 2), collapsed_slice_dims=(), start_index_map=(0, 1))
WI = np.array([[0, 0], [4, 5], [-1, 2], [3, 1]], np.int32)
case("gather windows default", lambda x, i: lax.gather(x, i, win, (2, 3)), XI, WI)
case("gather windows clip", lambda x, i: lax.gather(x, i, win, (2, 3), mode="clip"), XI, WI)
case("gather windows fill int", lambda x, i: lax.gather(x, i, win, (2, 3), mode="fill"), XI, WI)
case("gather windows fill -1", lambda x, i: lax.gather(x, i, win, (2, 3), mode="fill", fill_value=-1), XI, WI)
case("gather rows fill nan", lambda x, i: lax.gather(x, i, rows, (1, 4), mode="fill"), X, np.array([[1], [3], [-1]], np.int32))
case("gather offset first", lambda x, i: lax.gather(x, i, G(offset_dims=(0,), collapsed_slice_dims=(1,), start_index_map=(1,)), (3, 1)), X, np.array([[3], [0]], np.int32))
case("gather 2d batch of indices", lambda x, i: lax.gather(x, i, G(offset_dims=(2,), collapsed_slice_dims=(0,), start_index_map=(0,)), (1, 2)), X, np.array([[[0], [1]], [[2], [2]]], np.int32))
bat = G(offset_dims=(2,), collapsed_slice_dims=(1,), start_index_map=(1,), operand_batching_dims=(0,), start_indices_batching_dims=(0,))
case("gather batching", lambda x, i: lax.gather(x, i, bat, (1, 1, 3)), XB, np.array([[[4], [0]], [[1], [1]]], np.int32))
case("gather uint32 indices", lambda x, i: lax.gather(x, i, rows, (1, 2)), X, np.array([[1], [0]], np.uint32))

# grad of gather (its transpose, a scatter-add), with repeated and clamped indices
case("grad gather", lambda x, i, w: jax.grad(lambda y: jnp.sum(lax.gather(y, i, win, (2, 2), mode="clip") * w))(x),
     X, np.array([[0, 0], [0, 1], [5, 5]], np.int32), np.arange(12, dtype=np.float32).reshape(3, 2, 2))
case("grad gather fill", lambda x, i: jax.grad(lambda y: jnp.sum(lax.gather(y, i, rows, (1, 4), mode="fill", fill_value=0) ** 2))(x),
     X, np.array([[1], [5], [1]], np.int32))

one = S(update_window_dims=(), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,))
V = np.array([1.0, -2.0, 3.0, 0.5, 7.0, -1.0], np.float32)
I1 = np.array([[1], [4], [1], [-1], [6], [0]], np.int32)
U1 = np.array([10.0, 20.0, 30.0, 40.0, 50.0, 60.0], np.float32)
case("scatterAdd 1d", lambda x, i, u: lax.scatter_add(x, i, u, one), V, I1, U1)
case("scatterAdd 1d clip", lambda x, i, u: lax.scatter_add(x, i, u, one, mode="clip"), V, I1, U1)
case("scatterSub 1d", lambda x, i, u: lax.scatter_sub(x, i, u, one), V, I1, U1)
case("scatterMul 1d", lambda x, i, u: lax.scatter_mul(x, i, u, one), V, I1, U1)
case("scatterMin 1d", lambda x, i, u: lax.scatter_min(x, i, u, one), V, I1, U1)
case("scatterMax 1d", lambda x, i, u: lax.scatter_max(x, i, u, one), V, I1, U1)
case("scatter 1d unique", lambda x, i, u: lax.scatter(x, i, u, one), V, np.array([[5], [2], [9]], np.int32), np.array([1.0, 2.0, 3.0], np.float32))
rowsS = S(update_window_dims=(1,), inserted_window_dims=(0,), scatter_dims_to_operand_dims=(0,))
case("scatterAdd rows", lambda x, i, u: lax.scatter_add(x, i, u, rowsS), X, np.array([[1], [1], [2]], np.int32), np.arange(12, dtype=np.float32).reshape(3, 4))
winS = S(update_window_dims=(1,), inserted_window_dims=(), scatter_dims_to_operand_dims=(0,))
I2 = np.array([[0], [4], [5], [-1], [2]], np.int32)
U2 = np.arange(1, 11, dtype=np.int32).reshape(5, 2)
case("scatterAdd windows drop", lambda x, i, u: lax.scatter_add(x, i, u, winS), np.zeros(6, np.int32), I2, U2)
case("scatterAdd windows clip", lambda x, i, u: lax.scatter_add(x, i, u, winS, mode="clip"), np.zeros(6, np.int32), I2, U2)
case("scatter windows first", lambda x, i, u: lax.scatter(x, i, u, S(update_window_dims=(0,), inserted_window_dims=(1,), scatter_dims_to_operand_dims=(1,))),
     X, np.array([[3], [0]], np.int32), np.arange(6, dtype=np.float32).reshape(3, 2) * 10)
case("scatterMax points", lambda x, i, u: lax.scatter_max(x, i, u, S(update_window_dims=(), inserted_window_dims=(0, 1), scatter_dims_to_operand_dims=(1, 0))),
     XI, np.array([[1, 0], [5, 4], [1, 0]], np.int32), np.array([100, -3, 50], np.int32))
batS = S(update_window_dims=(2,), inserted_window_dims=(1,), scatter_dims_to_operand_dims=(1,), operand_batching_dims=(0,), scatter_indices_batching_dims=(0,))
case("scatterAdd batching", lambda x, i, u: lax.scatter_add(x, i, u, batS), XB, np.array([[[4], [4]], [[0], [1]]], np.int32), np.ones((2, 2, 3), np.float32))
case("scatterApply", lambda x, i: lax.scatter_apply(x, i, lambda v: v * 2 + 1, one, update_shape=(4,)), V, np.array([[1], [3], [3], [7]], np.int32))

# derivatives: the jvp of scatter mul (unique indices), min and max (ties averaged), and scatter's transpose
TI = np.array([[1], [4], [0]], np.int32)
VX = np.array([1.0, -2.0, 3.0, 0.5, 7.0, -1.0], np.float32)
UX = np.array([2.0, -2.0, 5.0], np.float32)
TX = np.array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], np.float32)
TU = np.array([1.0, 2.0, 3.0], np.float32)
for name, fn in [("Mul", lax.scatter_mul), ("Min", lax.scatter_min), ("Max", lax.scatter_max), ("Add", lax.scatter_add), ("", lax.scatter)]:
    case(f"jvp scatter{name}", lambda x, i, u, tx, tu, fn=fn: jax.jvp(lambda a, b: fn(a, i, b, one, unique_indices=True), (x, u), (tx, tu))[1], VX, TI, UX, TX, TU)
case("grad scatter", lambda x, i, u: jax.grad(lambda a, b: jnp.sum(lax.scatter(a, i, b, one) * jnp.arange(6.0)), argnums=(0, 1))(x, u), VX, TI, UX)
case("vmap gather rows", lambda x, i: jax.vmap(lambda a, b: lax.gather(a, b, rows, (1, 4)))(x, i), np.stack([X, X * 2]), np.array([[[2], [0]], [[1], [1]]], np.int32))
case("vmap scatterAdd", lambda x, i, u: jax.vmap(lambda a, b, c: lax.scatter_add(a, b, c, one))(x, i, u),
     np.stack([VX, VX * 3]), np.array([[[1], [1], [2]], [[0], [5], [9]]], np.int32), np.ones((2, 3), np.float32))

write("lax_gather_scatter", cases)
