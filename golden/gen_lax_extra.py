"""jax.lax's dynamic slicing, scans, user reductions and small operations (core/lax/slicing.ts,
scans.ts, misc.ts), for core/lax/extra.test.ts: starts in and out of range (clamped), NaN and
infinities in the cumulative operations, pytree scans.

Each case is {"id", "args": [arrays], "out": array or [arrays]}.
Run: /work/venv/bin/python golden/gen_lax_extra.py
"""
import numpy as np
import jax
import jax.numpy as jnp
from jax import lax

from common import collector, write

jax.config.update("jax_platforms", "cpu")

cases, case = collector()


f32 = np.float32
i32 = np.int32
m = np.arange(20, dtype=f32).reshape(4, 5)
b = np.arange(24, dtype=f32).reshape(2, 3, 4)
edge = np.array([[1.0, np.nan, 3.0, -np.inf], [np.inf, -2.0, 0.5, 7.0], [-0.0, 2.0, 2.0, -1.0]], f32)

for s0, s1 in [(0, 0), (1, 2), (3, 4), (-2, 1), (9, -9)]:
    case(f"dynamicSlice:{s0},{s1}", lambda x, a, c: lax.dynamic_slice(x, (a, c), (2, 3)), m, i32(s0), i32(s1))
    case(f"dynamicUpdateSlice:{s0},{s1}", lambda x, u, a, c: lax.dynamic_update_slice(x, u, (a, c)), m, -np.ones((2, 3), f32), i32(s0), i32(s1))
case("dynamicSlice:3d", lambda x, a: lax.dynamic_slice(x, (1, a, 0), (1, 2, 4)), b, i32(2))
case("dynamicSlice:zero-size", lambda x, a: lax.dynamic_slice(x, (a, 0), (0, 5)), m, i32(2))
case("dynamicUpdateSlice:int", lambda x, u, a: lax.dynamic_update_slice(x, u, (a,)), np.arange(6, dtype=i32), np.array([9, 8], i32), i32(5))
case("dynamicSliceInDim", lambda x, a: lax.dynamic_slice_in_dim(x, a, 2, axis=1), m, i32(4))
case("dynamicIndexInDim", lambda x, a: lax.dynamic_index_in_dim(x, a, axis=0, keepdims=False), m, i32(-1))
case("dynamicIndexInDim:keep", lambda x, a: lax.dynamic_index_in_dim(x, a, axis=2), b, i32(3))
case("dynamicUpdateSliceInDim", lambda x, u, a: lax.dynamic_update_slice_in_dim(x, u, a, axis=1), m, np.zeros((4, 2), f32), i32(2))
case("dynamicUpdateIndexInDim", lambda x, u, a: lax.dynamic_update_index_in_dim(x, u, a, axis=0), m, np.full((5,), 9, f32), i32(10))
case("sliceInDim", lambda x: lax.slice_in_dim(x, 1, None, 2, axis=1), m)
case("sliceInDim:neg", lambda x: lax.slice_in_dim(x, -3, -1, 1, axis=0), m)
case("indexInDim", lambda x: lax.index_in_dim(x, -1, axis=1, keepdims=False), m)

for name in ["cummax", "cummin", "cumlogsumexp"]:
    for axis in (0, 1):
        for rev in (False, True):
            case(f"{name}:{axis}:{rev}", lambda x: getattr(lax, name)(x, axis=axis, reverse=rev), edge)
case("cummax:int", lambda x: lax.cummax(x, axis=0), np.array([3, -1, 7, 7, 2, 9, -5], i32))
case("cumlogsumexp:long", lambda x: lax.cumlogsumexp(x, axis=0), np.linspace(-50, 80, 13).astype(f32))
case("associativeScan:add", lambda x: lax.associative_scan(lax.add, x), np.arange(11, dtype=f32))
case("associativeScan:mul-rev-axis1", lambda x: lax.associative_scan(lax.mul, x, reverse=True, axis=1), np.array([[1.0, 2.0, 3.0], [0.5, -1.0, 4.0]], f32))


def affine(p, q):
    (a1, b1), (a2, b2) = p, q
    return (a2 * a1, a2 * b1 + b2)


case("associativeScan:affine-pytree", lambda a, bb: lax.associative_scan(affine, (a, bb)), np.array([0.5, 2.0, -1.0, 0.25, 3.0, 1.5, 0.75], f32), np.array([1.0, -2.0, 0.5, 4.0, 0.0, 2.0, -1.0], f32))
case("associativeScan:max-len1", lambda x: lax.associative_scan(lax.max, x), np.array([4.0], f32))
case("associativeScan:empty", lambda x: lax.associative_scan(lax.add, x), np.zeros((0,), f32))
case("reduce:max", lambda x, i: lax.reduce(x, i, lax.max, (1,)), m, f32(-np.inf))
case("reduce:sum-all", lambda x, i: lax.reduce(x, i, lambda a, c: a + c, (0, 1, 2)), b, f32(0))
case("reduce:empty", lambda x, i: lax.reduce(x, i, lax.add, (0,)), np.zeros((0, 3), f32), f32(5))
case("reduce:pair-argmax", lambda x, i, j0: lax.reduce((x, i), (f32(-np.inf), j0),
     lambda p, q: (jnp.where(p[0] >= q[0], p[0], q[0]), jnp.where(p[0] >= q[0], p[1], q[1])), (1,)),
     np.array([[1.0, 5.0, 2.0], [7.0, -1.0, 7.5]], f32), np.array([[0, 1, 2], [0, 1, 2]], i32), i32(-1))
case("map", lambda x: lax.map(lambda r: jnp.sum(r * r), x), m)
case("map:batch", lambda x: lax.map(lambda r: r[::-1] * 2, x, batch_size=3), m)
case("clamp", lambda lo, x, hi: lax.clamp(lo, x, hi), f32(-1), edge, f32(2.5))
case("clamp:array-bounds", lambda lo, x, hi: lax.clamp(lo, x, hi), np.zeros((3, 4), f32), edge, np.full((3, 4), 1.0, f32))
case("selectN:int", lambda w, a, c, d: lax.select_n(w, a, c, d), np.array([0, 2, 1, 2], i32), np.zeros(4, f32), np.ones(4, f32), np.full(4, 2, f32))
case("selectN:bool", lambda w, a, c: lax.select_n(w, a, c), np.array([True, False, True]), np.zeros(3, f32), np.ones(3, f32))
case("expandDims", lambda x: lax.expand_dims(x, (0, 3)), m)
case("squeeze", lambda x: lax.squeeze(x, (0, 2)), np.ones((1, 3, 1), f32))
case("broadcast", lambda x: lax.broadcast(x, (2, 1)), np.array([1.0, 2.0], f32))
case("broadcastedIota", lambda: lax.broadcasted_iota(jnp.int32, (2, 3), 1))
case("full", lambda: lax.full((2, 2), 7, jnp.int32))
case("fullLike", lambda x: lax.full_like(x, 1.5), m)
case("collapse", lambda x: lax.collapse(x, 1), b)
case("collapse:range", lambda x: lax.collapse(x, 0, 2), b)
case("square", lax.square, edge)
case("reciprocal", lax.reciprocal, edge)
case("asinh", lax.asinh, np.array([-1e10, -2.0, -0.0, 0.0, 1e-8, 0.5, 3.0, 1e30, np.inf, np.nan], f32))
case("acosh", lax.acosh, np.array([0.5, 1.0, 1.5, 10.0, 1e30, np.inf, np.nan], f32))
case("atanh", lax.atanh, np.array([-1.0, -0.5, -0.0, 0.0, 0.3, 0.999, 1.0, 2.0, np.nan], f32))
case("cbrt", lax.cbrt, np.array([-27.0, -0.0, 0.0, 0.001, 2.0, 1e30, np.inf, -np.inf, np.nan], f32))
case("reduceAnd", lambda x: lax.reduce_and(x, (1,)), np.array([[True, True], [True, False]]))
case("reduceOr", lambda x: lax.reduce_or(x, (0,)), np.array([[True, False], [False, False]]))
case("dot:mv", lax.dot, m, np.arange(5, dtype=f32))
case("dot:vv", lax.dot, np.arange(5, dtype=f32), np.arange(5, dtype=f32))
case("batchMatmul", lax.batch_matmul, b, np.ones((2, 4, 2), f32))

rp = np.array([1.0, 1.00390625, 1.0039063, 1.01171875, -3.14159, 65504.0, 65520.0, 1e5, 6e-5, 1e-8, -1e-8, 3e38, np.inf, -np.inf, np.nan, -0.0, 0.0], f32)
for e, mb in [(8, 7), (5, 10), (8, 23), (4, 3), (8, 0), (2, 1)]:
    case(f"reducePrecision:{e},{mb}", lambda x: lax.reduce_precision(x, e, mb), rp)
bc = np.array([0, 1, 2, 3, 7, 255, 256, 65535, 1 << 30, 2147483647, -1, -2, -2147483648, 12345678], np.int32)
case("populationCount", lax.population_count, bc)
case("populationCount:uint", lax.population_count, bc.astype(np.uint32))
case("clz", lax.clz, bc)
case("clz:uint", lax.clz, bc.astype(np.uint32))
case("reduceXor:bool", lambda x: lax.reduce_xor(x, (1,)), np.array([[True, True, True], [True, False, False]]))
case("reduceXor:int", lambda x: lax.reduce_xor(x, (0,)), np.array([[5, -1], [3, 7], [12, 0]], np.int32))
case("reduceAnd:int", lambda x: lax.reduce_and(x, (0,)), np.array([[7, -1], [5, 12]], np.int32))
case("reduceOr:uint", lambda x: lax.reduce_or(x, (1,)), np.array([[1, 2, 4], [0, 0, 0]], np.uint32))

write("lax_extra", cases)
