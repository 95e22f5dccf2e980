"""Golden samples of jax.nn.initializers from real JAX: for a key (random.key(seed)), a shape and
an initializer with its arguments, JAX's array.

Each case: {"init": jaxfx name, "args": [positional builder arguments], "options": {...}
(jaxfx's camelCase builder options), "seed", "shape", "dtype" (the dtype passed to the
initializer, or null for its default), "out": JAX's result}. Cases of the random initializers
also record "sampler" (the jax.random draw they scale: "uniform01", "uniform11" on [-1, 1),
"normal" or "truncated_normal" on [lower, upper]) and "scale": the factor JAX multiplies that draw
by, as JAX computes it in the dtype (e.g. sqrt(variance) / 0.8796... for a truncated normal).
The float64 cases run with jax_enable_x64. Run: /work/venv/bin/python golden/nn_initializers.py
"""
import jax
import jax.numpy as jnp
import numpy as np

from common import enc, write

jax.config.update("jax_platforms", "cpu")
I = jax.nn.initializers
cases = []

# (scale, mode, distribution) of the named variance-scaling initializers
NAMED_VS = {"glorotUniform": (1.0, "fan_avg", "uniform"), "glorotNormal": (1.0, "fan_avg", "truncated_normal"),
            "lecunUniform": (1.0, "fan_in", "uniform"), "lecunNormal": (1.0, "fan_in", "truncated_normal"),
            "heUniform": (2.0, "fan_in", "uniform"), "heNormal": (2.0, "fan_in", "truncated_normal")}
NAMED_VS.update({"xavierUniform": NAMED_VS["glorotUniform"], "xavierNormal": NAMED_VS["glorotNormal"],
                 "kaimingUniform": NAMED_VS["heUniform"], "kaimingNormal": NAMED_VS["heNormal"]})


def scale_of(name, args, jax_kw, shape, dtype):
    """The sampler and the factor JAX scales its draw by, computed as jax.nn.initializers does."""
    dtype = dtype or "float32"
    if name == "uniform":
        return "uniform01", jnp.array(args[0] if args else 1e-2, dtype)
    if name == "normal":
        return "normal", jnp.array(args[0] if args else 1e-2, dtype)
    if name == "truncatedNormal":
        return "truncated_normal", jnp.array(args[0] if args else 1e-2, dtype)
    if name == "varianceScaling":
        scale, mode, dist = args
    elif name in NAMED_VS:
        scale, mode, dist = NAMED_VS[name]
    else:
        return None, None
    fan_in, fan_out = jax._src.nn.initializers._compute_fans(shape, **(jax_kw or {}))
    denominator = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2,
                   "fan_geo_avg": (fan_in * fan_out) ** 0.5}[mode]
    variance = jnp.array(scale / denominator, dtype=dtype)
    if dist == "truncated_normal":
        return "truncated_normal", jnp.sqrt(variance) / jnp.array(.87962566103423978, dtype)
    if dist == "normal":
        return "normal", jnp.sqrt(variance)
    return "uniform11", jnp.sqrt(3 * variance)


def case(name, builder, seed, shape, args=(), options=None, dtype=None, jax_kw=None):
    init = builder(*args, **(jax_kw or {})) if builder not in (I.zeros, I.ones) else builder
    key = jax.random.key(seed)
    out = init(key, shape) if dtype is None else init(key, shape, dtype)
    c = {"init": name, "args": list(args), "options": options or {}, "seed": seed, "shape": list(shape),
         "dtype": dtype, "out": enc(out)}
    fan_kw = {k: v for k, v in (jax_kw or {}).items() if k in ("in_axis", "out_axis", "batch_axis")}
    sampler, scale = scale_of(name, args, fan_kw, shape, dtype)
    if sampler is not None:
        c["sampler"] = sampler
        c["scale"] = enc(scale)
    cases.append(c)


case("zeros", I.zeros, 0, (2, 3))
case("ones", I.ones, 0, (3,))
case("constant", I.constant, 0, (2, 2), args=(-7.5,))
case("uniform", I.uniform, 42, (2, 3))
case("uniform", I.uniform, 1, (4, 5), args=(10.0,))
case("normal", I.normal, 42, (2, 3))
case("normal", I.normal, 2, (40,), args=(5.0,))
case("truncatedNormal", I.truncated_normal, 42, (2, 3))
case("truncatedNormal", I.truncated_normal, 3, (40,), args=(3.0,), options={"lower": -1, "upper": 3},
     jax_kw={"lower": -1.0, "upper": 3.0})

for mode in ["fan_in", "fan_out", "fan_avg", "fan_geo_avg"]:
    for dist in ["truncated_normal", "normal", "uniform"]:
        case("varianceScaling", I.variance_scaling, 7, (5, 7), args=(1.5, mode, dist))
case("varianceScaling", I.variance_scaling, 8, (3, 3, 4, 8), args=(2.0, "fan_in", "uniform"))
case("varianceScaling", I.variance_scaling, 9, (3, 3, 4, 8), args=(1.0, "fan_avg", "truncated_normal"))
case("varianceScaling", I.variance_scaling, 10, (2, 6, 5), args=(1.0, "fan_avg", "uniform"), options={"batchAxis": 0},
     jax_kw={"batch_axis": 0})
case("varianceScaling", I.variance_scaling, 11, (4, 3, 6), args=(1.0, "fan_in", "normal"),
     options={"inAxis": [0, 1], "outAxis": 2}, jax_kw={"in_axis": (0, 1), "out_axis": 2})
case("varianceScaling", I.variance_scaling, 12, (6, 4), args=(2.0, "fan_out", "uniform"),
     options={"inAxis": -1, "outAxis": -2}, jax_kw={"in_axis": -1, "out_axis": -2})

NAMED = [("glorotUniform", I.glorot_uniform), ("glorotNormal", I.glorot_normal), ("xavierUniform", I.xavier_uniform),
         ("xavierNormal", I.xavier_normal), ("lecunUniform", I.lecun_uniform), ("lecunNormal", I.lecun_normal),
         ("heUniform", I.he_uniform), ("heNormal", I.he_normal), ("kaimingUniform", I.kaiming_uniform),
         ("kaimingNormal", I.kaiming_normal)]
for i, (name, builder) in enumerate(NAMED):
    case(name, builder, 20 + i, (16, 8))
    case(name, builder, 40 + i, (3, 3, 2, 4))

for seed, shape in [(0, (4, 4)), (1, (3, 5)), (2, (5, 3)), (3, (2, 3, 4)), (4, (8, 8))]:
    case("orthogonal", I.orthogonal, seed, shape)
case("orthogonal", I.orthogonal, 5, (3, 4, 2), args=(2.0,), options={"columnAxis": 0}, jax_kw={"column_axis": 0})
for seed, shape in [(6, (3, 4, 4)), (7, (3, 3, 2, 4)), (8, (3, 2, 3, 2, 2))]:
    case("deltaOrthogonal", I.delta_orthogonal, seed, shape)

jax.config.update("jax_enable_x64", True)
case("uniform", I.uniform, 13, (6,), dtype="float64")
case("normal", I.normal, 14, (6,), dtype="float64")
case("heUniform", I.he_uniform, 15, (3, 4), dtype="float64")
case("glorotNormal", I.glorot_normal, 16, (3, 4), dtype="float64")
case("orthogonal", I.orthogonal, 17, (4, 3), dtype="float64")

write("nn_initializers", cases)
