"""lax.conv_general_dilated_local from real JAX: outputs for several layouts, paddings, strides and
dilations, and the gradients of sum(out * w_out) with respect to lhs and rhs. Read by
core/lax/conv-local.golden.test.ts. Each case: {"id", "args", "out"} (golden/common.py collector).

Run: /work/venv/bin/python golden/lax_conv_local.py
"""
import numpy as np
import jax
import jax.numpy as jnp
from jax import lax

from common import collector, write

jax.config.update("jax_enable_x64", False)
cases, case = collector()
r = np.random.RandomState(0)


def f32(*s):
    return r.uniform(-1, 1, s).astype(np.float32)


X = f32(2, 3, 5, 4)  # NCHW
case("NCHW VALID", lambda x, w: lax.conv_general_dilated_local(x, w, (1, 1), "VALID", (2, 3)), X, f32(4, 3 * 6, 4, 2))
case("NCHW SAME strided", lambda x, w: lax.conv_general_dilated_local(x, w, (2, 1), "SAME", (3, 2)), X, f32(2, 3 * 6, 3, 4))
case("NCHW pads dilated", lambda x, w: lax.conv_general_dilated_local(x, w, (1, 2), ((1, 0), (2, 1)), (2, 2), rhs_dilation=(2, 1)), X, f32(3, 12, 4, 3))
case("NCHW lhs dilation", lambda x, w: lax.conv_general_dilated_local(x, w, (1, 1), ((0, 0), (1, 1)), (2, 2), lhs_dilation=(2, 1)), X, f32(2, 12, 8, 5))
XH = f32(2, 6, 5, 3)  # NHWC
case("NHWC HWIO", lambda x, w: lax.conv_general_dilated_local(x, w, (1, 1), "VALID", (3, 2), dimension_numbers=("NHWC", "HWIO", "NHWC")), XH, f32(4, 4, 3 * 6, 2))
case("NHWC WHIO to NCHW", lambda x, w: lax.conv_general_dilated_local(x, w, (2, 2), "SAME", (2, 3), dimension_numbers=("NHWC", "WHIO", "NCHW")), XH, f32(3, 3, 3 * 6, 5))
case("1d NWC", lambda x, w: lax.conv_general_dilated_local(x, w, (1,), "VALID", (3,), dimension_numbers=("NWC", "WIO", "NWC")), f32(2, 7, 2), f32(5, 6, 3))
W = f32(4, 3 * 6, 4, 2)
C = f32(2, 4, 4, 2)
loss = lambda x, w: jnp.sum(lax.conv_general_dilated_local(x, w, (1, 1), "VALID", (2, 3)) * C)
case("grad lhs", lambda x, w: jax.grad(loss, 0)(x, w), X, W)
case("grad rhs", lambda x, w: jax.grad(loss, 1)(x, w), X, W)
case("cotangent", lambda c: c, C)

write("lax_conv_local", cases)
