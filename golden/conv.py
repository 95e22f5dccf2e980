"""Golden values for jaxfx's convolutions (core/lax/conv.ts), from real JAX in float32.

Each case: {"name", "fn": "convGeneralDilated" | "convTranspose" | "convGeneralDilatedPatches",
"lhs", "rhs" (absent for patches, which take "filterShape"), "strides", "padding" (a string or
[lo, hi] pairs), "options" (jaxfx's option names), "out", and, with a cotangent "w", JAX's
gradients of sum(out * w) with respect to lhs ("gradLhs") and rhs ("gradRhs").
Run: /work/venv/bin/python golden/conv.py
"""
import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from common import enc, write

jax.config.update("jax_platforms", "cpu")

rng = np.random.RandomState(0)
f32 = np.float32
cases = []


def normal(*shape):
    return rng.normal(size=shape).astype(f32)


def pads(p):
    return p if isinstance(p, str) else [list(q) for q in p]


def conv_case(name, lhs_shape, rhs_shape, strides, padding, **opts):
    lhs, rhs = normal(*lhs_shape), normal(*rhs_shape)
    kw = dict(
        lhs_dilation=opts.get("lhsDilation"),
        rhs_dilation=opts.get("rhsDilation"),
        dimension_numbers=tuple(opts["dimensionNumbers"]) if "dimensionNumbers" in opts else None,
        feature_group_count=opts.get("featureGroupCount", 1),
        batch_group_count=opts.get("batchGroupCount", 1),
    )
    f = lambda a, b: lax.conv_general_dilated(a, b, strides, padding, **kw)
    out = f(lhs, rhs)
    w = normal(*out.shape)
    gl, gr = jax.grad(lambda a, b: jnp.sum(f(a, b) * w), argnums=(0, 1))(lhs, rhs)
    cases.append(dict(name=name, fn="convGeneralDilated", lhs=enc(lhs), rhs=enc(rhs), strides=list(strides), padding=pads(padding),
                      options=opts, out=enc(out), w=enc(w), gradLhs=enc(gl), gradRhs=enc(gr)))


def transpose_case(name, lhs_shape, rhs_shape, strides, padding, **opts):
    lhs, rhs = normal(*lhs_shape), normal(*rhs_shape)
    kw = dict(rhs_dilation=opts.get("rhsDilation"), transpose_kernel=opts.get("transposeKernel", False),
              dimension_numbers=tuple(opts["dimensionNumbers"]) if "dimensionNumbers" in opts else None)
    f = lambda a, b: lax.conv_transpose(a, b, strides, padding, **kw)
    out = f(lhs, rhs)
    w = normal(*out.shape)
    gl, gr = jax.grad(lambda a, b: jnp.sum(f(a, b) * w), argnums=(0, 1))(lhs, rhs)
    cases.append(dict(name=name, fn="convTranspose", lhs=enc(lhs), rhs=enc(rhs), strides=list(strides), padding=pads(padding),
                      options=opts, out=enc(out), w=enc(w), gradLhs=enc(gl), gradRhs=enc(gr)))


def patches_case(name, lhs_shape, filter_shape, strides, padding, **opts):
    lhs = normal(*lhs_shape)
    kw = dict(lhs_dilation=opts.get("lhsDilation"), rhs_dilation=opts.get("rhsDilation"),
              dimension_numbers=tuple(opts["dimensionNumbers"]) if "dimensionNumbers" in opts else None)
    f = lambda a: lax.conv_general_dilated_patches(a, filter_shape, strides, padding, **kw)
    out = f(lhs)
    w = normal(*out.shape)
    gl = jax.grad(lambda a: jnp.sum(f(a) * w))(lhs)
    cases.append(dict(name=name, fn="convGeneralDilatedPatches", lhs=enc(lhs), filterShape=list(filter_shape), strides=list(strides),
                      padding=pads(padding), options=opts, out=enc(out), w=enc(w), gradLhs=enc(gl)))


# 1-D
conv_case("1-D default layout, stride 2, VALID", (2, 3, 9), (4, 3, 3), (2,), "VALID")
conv_case("1-D NWC/WIO SAME", (2, 7, 3), (3, 3, 5), (1,), "SAME", dimensionNumbers=["NWC", "WIO", "NWC"])
conv_case("1-D rhs dilation 2, SAME_LOWER, stride 2", (1, 2, 10), (2, 2, 4), (2,), "SAME_LOWER", rhsDilation=[2])
# 2-D
conv_case("2-D NCHW explicit padding, strides (2, 1)", (2, 3, 7, 6), (4, 3, 3, 2), (2, 1), [(1, 2), (0, 1)])
conv_case("2-D NHWC/HWIO SAME, rhs dilation (2, 2)", (2, 8, 7, 3), (3, 3, 3, 4), (1, 1), "SAME",
          rhsDilation=[2, 2], dimensionNumbers=["NHWC", "HWIO", "NHWC"])
conv_case("2-D NHWC SAME_LOWER stride 2", (1, 6, 7, 2), (2, 3, 2, 3), (2, 2), "SAME_LOWER", dimensionNumbers=["NHWC", "HWIO", "NHWC"])
conv_case("2-D NHWC SAME stride (2, 3), even kernel", (2, 9, 8, 2), (4, 2, 2, 3), (2, 3), "SAME", dimensionNumbers=["NHWC", "HWIO", "NHWC"])
conv_case("2-D lhs dilation (2, 1), explicit padding", (1, 2, 4, 5), (3, 2, 2, 3), (1, 1), [(1, 1), (2, 0)], lhsDilation=[2, 1])
conv_case("2-D lhs and rhs dilation and strides", (2, 2, 5, 5), (2, 2, 2, 3), (2, 1), [(1, 0), (1, 2)], lhsDilation=[2, 1], rhsDilation=[1, 2])
conv_case("2-D feature groups 2 (NHWC)", (2, 5, 5, 4), (3, 3, 2, 6), (1, 1), "SAME", featureGroupCount=2, dimensionNumbers=["NHWC", "HWIO", "NHWC"])
conv_case("2-D depthwise (feature groups = channels)", (2, 6, 5, 3), (3, 3, 1, 6), (2, 1), "VALID", featureGroupCount=3, dimensionNumbers=["NHWC", "HWIO", "NHWC"])
conv_case("2-D batch groups 2 (NCHW)", (4, 3, 5, 5), (4, 3, 3, 3), (1, 1), "VALID", batchGroupCount=2)
conv_case("2-D batch groups 3 with strides", (6, 2, 6, 5), (6, 2, 2, 2), (2, 2), [(1, 0), (0, 1)], batchGroupCount=3)
conv_case("2-D mixed layouts NWHC / OIHW / CNHW", (2, 6, 5, 3), (4, 3, 3, 2), (1, 2), "SAME", dimensionNumbers=["NWHC", "OIHW", "CNHW"])
conv_case("2-D layouts HWCN / IOWH / NCWH", (5, 6, 3, 2), (3, 4, 2, 3), (1, 1), "VALID", dimensionNumbers=["HWCN", "IOWH", "NCWH"])
conv_case("2-D negative padding", (1, 2, 7, 7), (2, 2, 3, 3), (1, 1), [(-1, 0), (0, -2)])
conv_case("2-D groups with dilation and padding (NCHW)", (2, 6, 6, 6), (9, 2, 2, 2), (1, 2), [(2, 1), (0, 1)], featureGroupCount=3, rhsDilation=[2, 1])
# 3-D
conv_case("3-D NDHWC/DHWIO SAME stride (1, 2, 1)", (2, 4, 5, 4, 2), (2, 3, 2, 2, 3), (1, 2, 1), "SAME",
          dimensionNumbers=["NDHWC", "DHWIO", "NDHWC"])
conv_case("3-D NCDHW VALID with groups and rhs dilation", (1, 4, 5, 5, 4), (4, 2, 2, 2, 2), (1, 1, 1), "VALID",
          featureGroupCount=2, rhsDilation=[2, 1, 1])
# conv_transpose
transpose_case("transpose 2-D SAME stride 2", (2, 4, 4, 3), (3, 3, 3, 2), (2, 2), "SAME")
transpose_case("transpose 2-D VALID stride (2, 1)", (1, 3, 4, 2), (3, 2, 2, 3), (2, 1), "VALID")
transpose_case("transpose 2-D transposeKernel", (1, 4, 3, 2), (3, 3, 4, 2), (2, 2), "SAME", transposeKernel=True)
transpose_case("transpose 1-D explicit padding, rhs dilation", (2, 5, 2), (3, 2, 3), (3,), [(1, 2)], rhsDilation=[2])
transpose_case("transpose 3-D SAME", (1, 3, 3, 2, 2), (2, 2, 2, 2, 2), (2, 2, 1), "SAME")
# patches
patches_case("patches 2-D NCHW VALID stride 2", (2, 3, 5, 6), (2, 3), (2, 2), "VALID")
patches_case("patches 2-D NHWC SAME with dilations", (1, 5, 5, 2), (3, 2), (1, 1), "SAME", rhsDilation=[1, 2],
             dimensionNumbers=["NHWC", "OIHW", "NHWC"])

write("conv", cases)
