"""lax's rare helpers from real JAX: conv/reduce_window shape tuples, conv_general_permutations,
lax.dtype, approx_max_k/approx_min_k (CPU: exact), and jnp.top_k. Read by
core/lax/rare.golden.test.ts.

- "shapes": {"id", "out"}: plain-number results of the shape helpers and of lax.dtype.
- "cases": {"id", "args", "out"} (golden/common.py collector).
jnp.top_k is newer than JAX 0.10: its cases run JAX main's definition (jax/_src/numpy/sorting.py:
lax.top_k of the array, or of its negation / bitwise NOT for mode="smallest") with this JAX's lax.top_k.

Run: /work/venv/bin/python golden/lax_rare.py
"""
import json
import os

import numpy as np
import jax
import jax.numpy as jnp
from jax import lax

from common import collector, enc

jax.config.update("jax_enable_x64", False)
shapes = []


def shape(id_, value):
    shapes.append({"id": id_, "out": json.loads(json.dumps(value, default=lambda o: o.tolist() if hasattr(o, "tolist") else str(o)))})


def ints(t):
    return [int(v) for v in t]


shape("perm NHWC", [ints(p) for p in lax.conv_general_permutations(("NHWC", "HWIO", "NHWC"))])
shape("perm NCHW", [ints(p) for p in lax.conv_general_permutations(("NCHW", "OIHW", "NCHW"))])
shape("perm 3d", [ints(p) for p in lax.conv_general_permutations(("NDHWC", "DHWIO", "NCDHW"))])
shape("perm swapped", [ints(p) for p in lax.conv_general_permutations(("NWHC", "HWIO", "CNHW"))])
shape("convShape SAME", ints(lax.conv_shape_tuple((2, 3, 9, 9), (8, 3, 3, 3), (2, 2), "SAME")))
shape("convShape VALID", ints(lax.conv_shape_tuple((2, 3, 9, 8), (8, 3, 3, 2), (2, 3), "VALID")))
shape("convShape SAME_LOWER", ints(lax.conv_shape_tuple((1, 1, 7), (4, 1, 4), (3,), "SAME_LOWER")))
shape("convShape pads", ints(lax.conv_shape_tuple((2, 3, 9, 9), (8, 3, 3, 3), (1, 2), ((1, 2), (0, -1)))))
shape("convShape batch groups", ints(lax.conv_shape_tuple((6, 3, 5), (8, 3, 2), (1,), ((0, 0),), batch_group_count=3)))
shape("convShape window larger", ints(lax.conv_shape_tuple((1, 1, 2), (1, 1, 5), (1,), "VALID")))
shape("convGeneralShape NHWC VALID", ints(lax.conv_general_shape_tuple((1, 9, 9, 3), (3, 3, 3, 8), (1, 1), "VALID", ("NHWC", "HWIO", "NHWC"))))
shape("convGeneralShape NHWC SAME strided", ints(lax.conv_general_shape_tuple((2, 10, 7, 3), (3, 2, 3, 4), (3, 2), "SAME", ("NHWC", "HWIO", "NCHW"))))
shape("convGeneralShape pads", ints(lax.conv_general_shape_tuple((2, 3, 10, 7), (4, 3, 3, 2), (1, 1), ((2, 0), (1, 1)), ("NCHW", "OIHW", "NHWC"))))
shape("convTransposeShape SAME", ints(lax.conv_transpose_shape_tuple((1, 4, 4, 3), (3, 3, 3, 8), (2, 2), "SAME", ("NHWC", "HWIO", "NHWC"))))
shape("convTransposeShape VALID", ints(lax.conv_transpose_shape_tuple((1, 4, 5, 3), (3, 2, 3, 8), (2, 3), "VALID", ("NHWC", "HWIO", "NHWC"))))
shape("convTransposeShape VALID small stride", ints(lax.conv_transpose_shape_tuple((1, 3, 6), (4, 3, 5), (2,), "VALID", ("NCH", "OIH", "NCH"))))
shape("convTransposeShape pads", ints(lax.conv_transpose_shape_tuple((2, 3, 5, 5), (4, 3, 3, 3), (1, 2), ((1, 1), (2, 0)), ("NCHW", "OIHW", "NCHW"))))
shape("reduceWindowShape", ints(lax.reduce_window_shape_tuple((4, 6), (2, 3), (2, 1), ((0, 0), (1, 1)))))
shape("reduceWindowShape dilations", ints(lax.reduce_window_shape_tuple((5, 7, 3), (2, 3, 1), (1, 2, 2), ((1, 0), (0, 2), (0, 0)), (2, 1, 1), (1, 2, 1))))
shape("reduceWindowShape empty", ints(lax.reduce_window_shape_tuple((2, 0), (3, 1), (1, 1), ((0, 0), (0, 0)))))
for name, x in [("int", 1), ("float", 2.5), ("bool", True), ("int8 array", jnp.zeros(2, jnp.int8)), ("float16 array", jnp.zeros(2, jnp.float16)),
                ("float64 name", "float64"), ("uint16 name", "uint16"), ("int64 name", "int64"), ("bfloat16 name", "bfloat16")]:
    shape(f"dtype {name}", str(lax.dtype(x)))
shape("shapeAsValue", [str(np.asarray(lax.shape_as_value((2, 3))).dtype), np.asarray(lax.shape_as_value((2, 3))).tolist()])
shape("shapeAsValue empty", [str(np.asarray(lax.shape_as_value(())).dtype), np.asarray(lax.shape_as_value(())).tolist()])

cases, case = collector()
F = np.array([[3.0, -1.0, 0.0, -0.0, 7.5, -np.inf, 2.0, 3.0], [1.0, 1.0, -2.0, 0.0, -0.0, np.inf, -8.0, 0.5]], np.float32)
case("approxMaxK", lambda a: lax.approx_max_k(a, 3), F)
case("approxMaxK all", lambda a: lax.approx_max_k(a, 8), F)
case("approxMinK", lambda a: lax.approx_min_k(a, 5), F)
# Ties (even -0 with +0) come out in an unspecified order off the last axis (XLA's CPU sort is not
# stable there): the axis-0 cases have none.
G = np.array([[3.0, -1.0, 0.0, -0.5, 7.5, -np.inf, 2.0, 3.0], [1.0, 1.0, -2.0, 0.0, -0.0, np.inf, -8.0, 0.5]], np.float32)
case("approxMinK axis0", lambda a: lax.approx_min_k(a, 1, reduction_dimension=0), G)
case("approxMaxK axis0 recall", lambda a: lax.approx_max_k(a, 2, reduction_dimension=0, recall_target=0.5), G)
Z = np.array([0.0, -0.0, 1.0, -0.0, 0.0], np.float32)
case("approxMaxK zeros", lambda a: lax.approx_max_k(a, 5), Z)
case("approxMinK zeros", lambda a: lax.approx_min_k(a, 5), Z)
case("approxMaxK float16", lambda a: lax.approx_max_k(a, 2), np.array([1.5, -3.0, 2.0, 2.0], np.float16))
P = np.random.RandomState(0).permutation(3000).astype(np.float32)
case("approxMaxK not aggregated", lambda a: lax.approx_max_k(a, 4, aggregate_to_topk=False), P)
case("approxMinK not aggregated override", lambda a: lax.approx_min_k(a, 3, aggregate_to_topk=False, reduction_input_size_override=9000, recall_target=0.9), P)
case("approxMaxK not aggregated k1", lambda a: lax.approx_max_k(a, 1, aggregate_to_topk=False), P)
P2 = np.random.RandomState(1).permutation(2 * 700).astype(np.float32).reshape(2, 700)
case("approxMaxK not aggregated rank2", lambda a: lax.approx_max_k(a, 5, aggregate_to_topk=False, recall_target=0.8), P2)


def jnp_top_k(a, k, axis=-1, mode="largest"):
    # JAX main's jnp.top_k (not in JAX 0.10), on this JAX's lax.top_k.
    axis = axis % a.ndim
    if mode == "largest":
        return lax.top_k(a, k, axis=axis)
    if a.dtype == jnp.bool_:
        v, i = lax.top_k(lax.bitwise_not(a), k, axis=axis)
        return lax.bitwise_not(v), i
    if jnp.issubdtype(a.dtype, jnp.unsignedinteger):
        v, i = lax.top_k(-(a + 1), k, axis=axis)
        return -(v + 1), i
    v, i = lax.top_k(-a, k, axis=axis)
    return -v, i


A = np.array([[1, 2, 3, 4, 5], [5, 4, 3, 2, 1]], np.int32)
case("topK", lambda a: jnp_top_k(a, 2), A)
case("topK smallest axis0", lambda a: jnp_top_k(a, 2, axis=0, mode="smallest"), A)
case("topK smallest float", lambda a: jnp_top_k(a, 4, mode="smallest"), F)
case("topK largest float", lambda a: jnp_top_k(a, 4), F)
case("topK smallest nan", lambda a: jnp_top_k(a, 4, mode="smallest"), np.array([np.nan, 1.0, 0.0, -0.0, np.nan], np.float32))
case("topK largest nan", lambda a: jnp_top_k(a, 3), np.array([1.0, np.nan, 0.0, -0.0, np.inf], np.float32))
case("topK smallest uint8", lambda a: jnp_top_k(a, 3, mode="smallest"), np.array([200, 0, 255, 7, 0], np.uint8))
case("topK smallest uint32", lambda a: jnp_top_k(a, 2, mode="smallest"), np.array([4000000000, 5, 0xFFFFFFFF, 5], np.uint32))
case("topK smallest int8", lambda a: jnp_top_k(a, 3, mode="smallest"), np.array([-128, 127, 0, -128, 5], np.int8))
case("topK smallest bool", lambda a: jnp_top_k(a, 2, mode="smallest"), np.array([True, False, True, False], np.bool_))
case("topK bool", lambda a: jnp_top_k(a, 3), np.array([True, False, True, False], np.bool_))
case("topK k0", lambda a: jnp_top_k(a, 0, axis=1), A)

out = {"jax_version": jax.__version__, "generator": "lax_rare.py", "shapes": shapes, "cases": cases}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lax_rare.json")
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
print(f"wrote {path}: {len(shapes)} shapes, {len(cases)} cases")
