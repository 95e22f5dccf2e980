"""Golden values for jaxfx's convolution and pooling layers (effects/layers/conv.ts, pool.ts), from
real JAX in float32. Haiku is not installed here, so each layer is written out the way Haiku
computes it (hk.ConvND: lax.conv_general_dilated with Haiku's dimension numbers and a bias;
hk.ConvNDTranspose: lax.conv_transpose; hk.MaxPool / hk.AvgPool: lax.reduce_window, AvgPool "SAME"
divided by the count of real elements per window).

Each case: {"layer", "options" (jaxfx's options; name "c" so params are "c/w", "c/b"), "input",
"params": {path: array}, "out", "w": a cotangent, "grads": {path: gradient of sum(out * w)},
"gradInput"}.
Run: /work/venv/bin/python golden/conv_layers.py
"""
import jax
import jax.numpy as jnp
import numpy as np
from jax import lax

from common import enc, write

jax.config.update("jax_platforms", "cpu")

rng = np.random.RandomState(2)
f32 = np.float32
cases = []


def normal(*shape):
    return rng.normal(size=shape).astype(f32)


def dims(ns, channels_last, transpose):
    nd = ns + 2
    spatial = tuple(range(1, nd - 1)) if channels_last else tuple(range(2, nd))
    image = (0, nd - 1) + spatial if channels_last else (0, 1) + spatial
    kernel = ((nd - 2, nd - 1) if transpose else (nd - 1, nd - 2)) + tuple(range(nd - 2))
    return lax.ConvDimensionNumbers(image, kernel, image)


def per_axis(v, n):
    return (v,) * n if isinstance(v, int) else tuple(v)


def record(layer, options, x, params, fn):
    out = fn(params, x)
    w = normal(*out.shape)
    gp, gx = jax.grad(lambda p, a: jnp.sum(fn(p, a) * w), argnums=(0, 1))(params, x)
    cases.append(dict(layer=layer, options=options, input=enc(x), params={k: enc(v) for k, v in params.items()}, out=enc(out), w=enc(w),
                      grads={k: enc(v) for k, v in gp.items()}, gradInput=enc(gx)))


def conv(layer, ns, x_shape, options):
    o = dict(options, name="c")
    cl = o.get("dataFormat", "channels_last") == "channels_last"
    k = per_axis(o["kernelShape"], ns)
    groups = o.get("featureGroupCount", 1)
    unbatched = len(x_shape) == ns + 1
    cin = x_shape[-1] if cl else x_shape[0 if unbatched else 1]
    params = {"c/w": normal(*k, cin // groups, o["outputChannels"])}
    if o.get("withBias", True):
        params["c/b"] = normal(o["outputChannels"])
    pad = o.get("padding", "SAME")
    pad = pad if isinstance(pad, str) else [tuple(p) for p in pad]

    def fn(p, x):
        xb = x[None] if unbatched else x
        out = lax.conv_general_dilated(xb, p["c/w"], per_axis(o.get("stride", 1), ns), pad, rhs_dilation=per_axis(o.get("rate", 1), ns),
                                       dimension_numbers=dims(ns, cl, False), feature_group_count=groups)
        if "c/b" in p:
            out = out + (p["c/b"] if cl else p["c/b"].reshape((-1,) + (1,) * ns))
        return out[0] if unbatched else out
    record(layer, o, normal(*x_shape), params, fn)


def conv_t(layer, ns, x_shape, options):
    o = dict(options, name="c")
    cl = o.get("dataFormat", "channels_last") == "channels_last"
    k = per_axis(o["kernelShape"], ns)
    cin = x_shape[-1] if cl else x_shape[1]
    params = {"c/w": normal(*k, o["outputChannels"], cin), "c/b": normal(o["outputChannels"])}
    pad = o.get("padding", "SAME")

    def fn(p, x):
        out = lax.conv_transpose(x, p["c/w"], per_axis(o.get("stride", 1), ns), pad, dimension_numbers=dims(ns, cl, True))
        return out + (p["c/b"] if cl else p["c/b"].reshape((-1,) + (1,) * ns))
    record(layer, o, normal(*x_shape), params, fn)


def infer(x, size, channel_axis=-1):
    if isinstance(size, int):
        c = channel_axis % x.ndim
        return (1,) + tuple(1 if d == c else size for d in range(1, x.ndim))
    return (1,) * (x.ndim - len(size)) + tuple(size)


def pool(layer, x_shape, options):
    o = dict(options)
    x = normal(*x_shape)

    def fn(p, x):
        w, s = infer(x, o["windowShape"], o.get("channelAxis", -1)), infer(x, o["strides"], o.get("channelAxis", -1))
        if layer == "MaxPool":
            return lax.reduce_window(x, -jnp.inf, lax.max, w, s, o["padding"])
        total = lax.reduce_window(x, 0.0, lax.add, w, s, o["padding"])
        if o["padding"] == "VALID":
            return total / np.prod(w)
        return total / lax.reduce_window(jnp.ones_like(x), 0.0, lax.add, w, s, o["padding"])
    record(layer, o, x, {}, fn)


conv("Conv2D", 2, (2, 5, 5, 3), dict(outputChannels=4, kernelShape=3))
conv("Conv2D", 2, (2, 3, 7, 6), dict(outputChannels=2, kernelShape=[2, 3], stride=2, padding="VALID", withBias=False, dataFormat="channels_first"))
conv("Conv2D", 2, (6, 6, 4), dict(outputChannels=4, kernelShape=3, rate=2, featureGroupCount=4))
conv("Conv1D", 1, (2, 9, 4), dict(outputChannels=6, kernelShape=3, stride=2, padding=[[2, 1]], featureGroupCount=2))
conv("Conv3D", 3, (1, 4, 5, 4, 2), dict(outputChannels=3, kernelShape=[2, 3, 2], stride=[1, 2, 1]))
conv_t("Conv2DTranspose", 2, (2, 4, 3, 3), dict(outputChannels=2, kernelShape=3, stride=2))
conv_t("Conv1DTranspose", 1, (1, 2, 5), dict(outputChannels=3, kernelShape=4, stride=3, padding="VALID", dataFormat="channels_first"))
conv_t("Conv3DTranspose", 3, (1, 2, 3, 2, 2), dict(outputChannels=2, kernelShape=2, stride=[2, 1, 2]))
pool("MaxPool", (2, 6, 6, 3), dict(windowShape=2, strides=2, padding="VALID"))
pool("MaxPool", (1, 7, 5, 2), dict(windowShape=3, strides=2, padding="SAME"))
pool("AvgPool", (2, 5, 5, 2), dict(windowShape=3, strides=1, padding="SAME"))
pool("AvgPool", (2, 6, 4, 3), dict(windowShape=[2, 2, 1], strides=[2, 2, 1], padding="VALID"))
pool("AvgPool", (1, 3, 6, 5), dict(windowShape=2, strides=2, padding="SAME", channelAxis=1))

write("conv_layers", cases)
