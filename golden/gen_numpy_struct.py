"""jax.numpy's structure functions (triangles, diagonals, rearranging, indexed reads and writes)
on small inputs with edge values (NaN, inf, -0, empty arrays), for core/numpy/structure.test.ts.

Each case is {"id", "args": [arrays], "out": array or [arrays]}; the test maps every id to the
jaxfx call with the same static arguments. Run: /work/venv/bin/python golden/gen_numpy_struct.py
"""
import numpy as np
import jax
import jax.numpy as jnp

from common import enc, write

jax.config.update("jax_platforms", "cpu")

cases = []


def case(id_, fn, *args):
    out = fn(*[jnp.asarray(a) for a in args])
    cases.append({"id": id_, "args": [enc(a) for a in args],
                  "out": [enc(o) for o in out] if isinstance(out, (list, tuple)) else enc(out)})


f32 = np.float32
edge = np.array([[1.5, np.nan, -np.inf], [-0.0, np.inf, 2.0], [3.0, -4.0, 5.0], [6.0, 7.0, -0.0]], f32)
m34 = np.arange(12, dtype=f32).reshape(3, 4) - 5
b234 = np.arange(24, dtype=f32).reshape(2, 3, 4)
i33 = np.arange(9, dtype=np.int32).reshape(3, 3)
v3 = np.array([1.0, -0.0, np.nan], f32)
empty = np.zeros((0, 3), f32)

# triangles and diagonals
for k in (-2, -1, 0, 1, 3):
    case(f"tril:k={k}", lambda x: jnp.tril(x, k), edge)
    case(f"triu:k={k}", lambda x: jnp.triu(x, k), edge)
case("tril:batched", lambda x: jnp.tril(x, 1), b234)
case("triu:int", lambda x: jnp.triu(x), i33)
case("tril:empty", lambda x: jnp.tril(x), empty)
case("tri:3,2,1", lambda: jnp.tri(3, 2, 1))
case("tri:4,None,-1", lambda: jnp.tri(4, None, -1))
case("tri:0", lambda: jnp.tri(0))
case("trilIndices:4", lambda: jnp.tril_indices(4))
case("trilIndices:3,1,2", lambda: jnp.tril_indices(3, 1, 2))
case("triuIndices:4,1", lambda: jnp.triu_indices(4, 1))
case("triuIndices:3,-1,5", lambda: jnp.triu_indices(3, -1, 5))
case("trilIndicesFrom:k=-1", lambda x: jnp.tril_indices_from(x, -1), m34)
case("triuIndicesFrom:k=1", lambda x: jnp.triu_indices_from(x, 1), m34)
case("diagIndices:3,3", lambda: jnp.diag_indices(3, 3))
case("diagIndicesFrom", lambda x: jnp.diag_indices_from(x), i33)
for k in (-2, 0, 1, 5):
    case(f"diag:2d:k={k}", lambda x: jnp.diag(x, k), edge)
    case(f"diag:1d:k={k}", lambda x: jnp.diag(x, k), v3)
case("diagflat:k=-1", lambda x: jnp.diagflat(x, -1), np.array([[1.0, 2.0], [np.inf, -0.0]], f32))
for off, a1, a2 in [(0, 0, 1), (1, 0, 1), (-1, 0, 1), (0, 1, 2), (2, 2, 0), (-1, -1, -3), (7, 0, 1)]:
    case(f"diagonal:{off},{a1},{a2}", lambda x: jnp.diagonal(x, off, a1, a2), b234)
case("diagonal:edge", lambda x: jnp.diagonal(x, 1), edge)
case("diagonal:empty", lambda x: jnp.diagonal(x), empty)
case("trace:0", lambda x: jnp.trace(x), edge)
case("trace:1,1,2", lambda x: jnp.trace(x, 1, 1, 2), b234)
case("trace:int", lambda x: jnp.trace(x, -1), i33)
case("trace:bool", lambda x: jnp.trace(x), np.array([[True, False], [True, True]]))
case("fillDiagonal:scalar", lambda x: jnp.fill_diagonal(x, 9.0, inplace=False), m34)
case("fillDiagonal:cyclic", lambda x, v: jnp.fill_diagonal(x, v, inplace=False), np.zeros((4, 4), f32), np.array([1.0, np.nan], f32))
case("fillDiagonal:tall", lambda x: jnp.fill_diagonal(x, -1.0, inplace=False), np.zeros((5, 3), f32))
case("fillDiagonal:3d", lambda x: jnp.fill_diagonal(x, 7, inplace=False), np.zeros((3, 3, 3), np.int32))

# rearranging
case("roll:2", lambda x: jnp.roll(x, 2), m34)
case("roll:-1,axis=1", lambda x: jnp.roll(x, -1, axis=1), m34)
case("roll:[1,-5],axes=[0,1]", lambda x: jnp.roll(x, (1, -5), axis=(0, 1)), m34)
case("roll:7,axis=0", lambda x: jnp.roll(x, 7, axis=0), edge)
case("roll:traced", lambda x, s: jnp.roll(x, s, axis=1), m34, np.int32(-3))
case("roll:empty", lambda x: jnp.roll(x, 1, axis=0), empty)
for k in (-1, 0, 1, 2, 3, 5):
    case(f"rot90:{k}", lambda x: jnp.rot90(x, k), m34)
case("rot90:axes=[2,0]", lambda x: jnp.rot90(x, 1, axes=(2, 0)), b234)
case("fliplr", jnp.fliplr, m34)
case("flipud", jnp.flipud, v3)
case("matrixTranspose", jnp.matrix_transpose, b234)
case("permuteDims", lambda x: jnp.permute_dims(x, (2, 0, 1)), b234)
case("concat:axis=1", lambda x, y: jnp.concat([x, y], axis=1), m34, edge[:3])
case("atleast1d", jnp.atleast_1d, np.float32(3))
case("atleast2d:1d", jnp.atleast_2d, v3)
case("atleast3d:0d", jnp.atleast_3d, np.float32(3))
case("atleast3d:1d", jnp.atleast_3d, v3)
case("atleast3d:2d", jnp.atleast_3d, m34)
case("atleast2d:many", lambda a, b: jnp.atleast_2d(a, b), np.float32(1), b234)
case("dstack", lambda a, b: jnp.dstack([a, b]), v3, v3)
case("dstack:2d", lambda a, b: jnp.dstack([a, b]), m34, m34)
case("columnStack", lambda a, b: jnp.column_stack([a, b]), v3, np.ones((3, 2), f32))
case("unstack:axis=1", lambda x: jnp.unstack(x, axis=1), m34)
case("hsplit:2", lambda x: jnp.hsplit(x, 2), m34)
case("hsplit:1d", lambda x: jnp.hsplit(x, [1]), v3)
case("vsplit:[1,2]", lambda x: jnp.vsplit(x, [1, 2]), m34)
case("dsplit:2", lambda x: jnp.dsplit(x, 2), b234)
case("block:2x2", lambda a, b, c, d: jnp.block([[a, b], [c, d]]), np.eye(2, dtype=f32), np.zeros((2, 1), f32), np.ones((1, 2), f32), np.full((1, 1), 5, f32))
case("block:flat", lambda a, b: jnp.block([a, b]), v3, np.float32(7))
case("block:3deep", lambda a, b: jnp.block([[[a]], [[b]]]), np.ones((2,), f32), np.zeros((2,), f32))
case("resize:grow", lambda x: jnp.resize(x, (2, 4)), v3)
case("resize:shrink", lambda x: jnp.resize(x, (5,)), m34)
case("resize:empty", lambda x: jnp.resize(x, (2,)), np.zeros((0,), f32))
case("append:flat", lambda x, y: jnp.append(x, y), m34, v3)
case("append:axis=0", lambda x, y: jnp.append(x, y, axis=0), m34, np.ones((1, 4), f32))
case("meshgrid:xy", lambda a, b, c: jnp.meshgrid(a, b, c), v3, np.arange(2, dtype=f32), np.arange(4, dtype=np.int32))
case("meshgrid:ij", lambda a, b: jnp.meshgrid(a, b, indexing="ij"), v3, np.arange(2, dtype=f32))
case("meshgrid:sparse", lambda a, b: jnp.meshgrid(a, b, sparse=True), v3, np.arange(2, dtype=f32))
case("meshgrid:one", lambda a: jnp.meshgrid(a), v3)
case("indices:2,3", lambda: jnp.indices((2, 3)))
case("indices:sparse", lambda: jnp.indices((2, 3), sparse=True))
case("indices:float", lambda: jnp.indices((3,), dtype=jnp.float32))
case("ix", lambda a, b: jnp.ix_(a, b), np.array([0, 2], np.int32), np.array([1, 3, 0], np.int32))

# indexed reads and writes
idx = np.array([[0, 3, -1], [5, -4, 1]], np.int32)
case("takeAlongAxis:fill", lambda x, i: jnp.take_along_axis(x, i, 1), np.arange(8, dtype=f32).reshape(2, 4), idx)
case("takeAlongAxis:clip", lambda x, i: jnp.take_along_axis(x, i, 1, mode="clip"), np.arange(8, dtype=f32).reshape(2, 4), idx)
case("takeAlongAxis:int", lambda x, i: jnp.take_along_axis(x, i, 1), np.arange(8, dtype=np.int32).reshape(2, 4), idx)
case("takeAlongAxis:axis0-bcast", lambda x, i: jnp.take_along_axis(x, i, 0), m34, np.array([[2], [0]], np.int32))
case("takeAlongAxis:none", lambda x, i: jnp.take_along_axis(x, i, None), m34, np.array([11, 0, -1], np.int32))
case("takeAlongAxis:argsort", lambda x: jnp.take_along_axis(x, jnp.argsort(-x, axis=-1), -1), m34[::-1])
case("putAlongAxis", lambda x, i, v: jnp.put_along_axis(x, i, v, 1, inplace=False), np.zeros((2, 4), f32), np.array([[0, 3], [-1, 9]], np.int32), np.array([[1.0, 2.0], [3.0, 4.0]], f32))
case("putAlongAxis:bcast", lambda x, i: jnp.put_along_axis(x, i, 7.0, 0, inplace=False), np.zeros((3, 2), f32), np.array([[2, 0]], np.int32))
case("choose:wrap", lambda a, c0, c1, c2: jnp.choose(a, [c0, c1, c2], mode="wrap"), np.array([[0, 4], [-1, 2]], np.int32), np.zeros((2, 2), f32), np.ones((2,), f32), np.array(7.0, f32))
case("choose:clip", lambda a, c0, c1: jnp.choose(a, [c0, c1], mode="clip"), np.array([-3, 0, 1, 9], np.int32), np.arange(4, dtype=f32), -np.arange(4, dtype=f32))
case("choose:raise", lambda a, c0, c1: jnp.choose(a, [c0, c1]), np.array([1, 0, 1], np.int32), v3, np.array([5.0, 6.0, 7.0], f32))
case("compress:axis0", lambda c, x: jnp.compress(c, x, axis=0), np.array([False, True, True]), m34)
case("compress:flat-short", lambda c, x: jnp.compress(c, x), np.array([True, False, True]), m34)
case("compress:size", lambda c, x: jnp.compress(c, x, axis=1, size=3, fill_value=-9), np.array([True, False, False, False]), m34)
case("extract", lambda c, x: jnp.extract(c, x), np.array([[1, 0, 0, 2], [0, 0, 3, 0], [0, 1, 0, 0]], np.int32), m34)
case("extract:size", lambda c, x: jnp.extract(c, x, size=2), np.array([1, 0, 1, 1], np.int32), np.arange(4, dtype=f32))
case("place", lambda x, m, v: jnp.place(x, m, v, inplace=False), np.arange(5, dtype=f32), np.array([1, 0, 1, 0, 1], bool), np.array([9.0, 8.0], f32))
case("put:fill", lambda x, i, v: jnp.put(x, i, v, inplace=False), np.arange(4, dtype=f32), np.array([5, -1, 1], np.int32), np.array([9.0, 8.0, 7.0], f32))
case("put:clip", lambda x, i, v: jnp.put(x, i, v, mode="clip", inplace=False), np.arange(6, dtype=f32).reshape(2, 3), np.array([9, -7], np.int32), np.array([1.0, 2.0], f32))
case("put:wrap-cyclic", lambda x, i, v: jnp.put(x, i, v, mode="wrap", inplace=False), np.arange(5, dtype=np.int32), np.array([6, -1, 2], np.int32), np.array([100], np.int32))
case("delete:list", lambda x: jnp.delete(x, jnp.array([0, -1])), np.arange(5, dtype=f32))
case("delete:int-axis1", lambda x: jnp.delete(x, 1, axis=1), m34)
case("delete:slice", lambda x: jnp.delete(x, slice(None, None, 2), axis=1), m34)
case("delete:flat", lambda x: jnp.delete(x, jnp.array([3, 4, 11])), m34)
case("insert:list", lambda x, v: jnp.insert(x, jnp.array([1, 1, 3]), v), np.arange(5, dtype=np.int32), np.array([10, 20, 30], np.int32))
case("insert:scalar-axis1", lambda x, v: jnp.insert(x, 2, v, axis=1), m34, np.array([[1.0, 2.0]], f32).T)
case("insert:scalar-vec-axis1", lambda x, v: jnp.insert(x, 1, v, axis=1), m34, np.array([7.0, 8.0, 9.0], f32))
case("insert:scalar-flat", lambda x: jnp.insert(x, -1, 99.0), v3)
case("insert:list-axis0", lambda x: jnp.insert(x, jnp.array([0, 3]), -1.0, axis=0), m34)
case("insert:end", lambda x: jnp.insert(x, 3, 5.5), v3)
case("ravelMultiIndex", lambda a, b: jnp.ravel_multi_index((a, b), (3, 4)), np.array([0, 2, 1], np.int32), np.array([3, 0, 2], np.int32))
case("ravelMultiIndex:clip", lambda a, b: jnp.ravel_multi_index((a, b), (2, 3), mode="clip"), np.array([0, 5, -1], np.int32), np.array([1, 1, 7], np.int32))
case("ravelMultiIndex:wrap-F", lambda a, b: jnp.ravel_multi_index((a, b), (2, 3), mode="wrap", order="F"), np.array([0, 5, -1], np.int32), np.array([1, 1, 7], np.int32))
case("unravelIndex", lambda i: jnp.unravel_index(i, (2, 3, 4)), np.array([0, 5, 23, 13], np.int32))
case("unravelIndex:oob", lambda i: jnp.unravel_index(i, (2, 3)), np.array([-1, 7, 20, -7, -6], np.int32))

write("numpy_struct", cases)
