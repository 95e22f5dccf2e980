"""Golden values for jaxfx's scipy.stats, from real JAX.

Each case: {"fn": "<dist>.<method>" (jaxfx's names), "args": [arrays] (the positional arguments
of the JAX call, loc and scale included), "out": JAX's float32 result, "ref": SciPy's float64
result at the same inputs (JAX's own in float64 where SciPy's conventions differ), "refArgs", and
"grad"/"gradArgs"/"argnums" (jax.grad of sum(f), float32)}. Inputs cover typical values, the
edges of each support, invalid parameters, NaN and inf, and broadcasting.
Run: /path/to/venv/bin/python golden/scipy_stats.py
"""
import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import jax.scipy.stats as js  # noqa: E402
import numpy as np  # noqa: E402
import scipy.stats as ss  # noqa: E402

from common import enc, write  # noqa: E402

rng = np.random.RandomState(1)
inf, nan = np.inf, np.nan
f32 = np.float32
cases = []


def uniform(lo, hi, n):
    return list(rng.uniform(lo, hi, n))


def case(fn, jax_fn, ref_fn, args, argnums=(), grad_args=None, arg_dtypes=None):
    dtypes = arg_dtypes or [f32] * len(args)
    a32 = [np.asarray(a, dtype=d) for a, d in zip(args, dtypes)]
    out = np.asarray(jax_fn(*a32))
    if out.dtype == np.float64 and all(a.dtype != np.float64 for a in a32):
        # norm.ppf casts to Python's float, float64 only because this script enables x64
        out = out.astype(f32)
    c = {"fn": fn, "args": [enc(a) for a in a32], "out": enc(out)}
    a64 = [a.astype(np.float64) if a.dtype == f32 else a for a in a32]
    with np.errstate(all="ignore"):
        ref = np.asarray((ref_fn or jax_fn)(*a64), dtype=np.float64)
    c["refArgs"] = [enc(a) for a in a64]
    c["ref"] = enc(ref)
    if argnums:
        g_in = [np.asarray(a, dtype=d) for a, d in zip(grad_args or args, dtypes)]
        g = jax.grad(lambda *xs: jnp.sum(jax_fn(*xs)), argnums=tuple(argnums))(*g_in)
        c["gradArgs"] = [enc(a) for a in g_in]
        c["argnums"] = list(argnums)
        c["grad"] = [enc(x) for x in g]
    cases.append(c)


def methods(dist, names, args, grad_methods=(), grad_args=None, argnums=(0,), scipy_name=None, skip_ref=()):
    """One case per method of a distribution; gradients for grad_methods."""
    sdist = getattr(ss, scipy_name or dist)
    for m in names:
        jf = getattr(getattr(js, dist), m)
        sf = None if m in skip_ref else getattr(sdist, m)
        jaxfx_dist = "".join(w.capitalize() if i else w for i, w in enumerate(dist.split("_")))
        if m in grad_methods:
            case(f"{jaxfx_dist}.{m}", jf, sf, args, argnums=argnums, grad_args=grad_args)
        else:
            case(f"{jaxfx_dist}.{m}", jf, sf, args)


# ---------------------------------------------------------------------------------------------
# Continuous, location-scale

x_line = uniform(-4, 4, 10) + [-30, 0, 1e-8, 25, inf, -inf, nan]
n = len(x_line)
loc = [0] * 10 + [0, 1, -2, 0.5, 0, 0, 0]
scale = [1] * 5 + uniform(0.5, 3, 5) + [1, 2, 0.5, 1, 1, 1, 1]
g_args = [uniform(-3, 3, 6), uniform(-1, 1, 6), uniform(0.5, 2, 6)]
all_cont = ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"]
methods("norm", all_cont, [x_line, loc, scale], grad_methods=("logpdf", "cdf", "logcdf", "logsf"), grad_args=g_args, argnums=(0, 1, 2))
methods("norm", ["ppf", "isf"], [uniform(0.01, 0.99, 8) + [0, 1, 0.5, 1e-20, -0.5], [0] * 8 + [0, 1, 2, 0, 0], [1] * 8 + [2, 1, 3, 1, 1]],
        grad_methods=("ppf",), grad_args=[uniform(0.05, 0.95, 5), uniform(-1, 1, 5), uniform(0.5, 2, 5)], argnums=(0, 1, 2))
methods("norm", ["logpdf", "cdf"], [[[0.5], [1.5]], [[0, 1, 2]], [[[1]], [[2]]]])
methods("cauchy", all_cont, [x_line, loc, scale], grad_methods=("logpdf",), grad_args=g_args, argnums=(0, 1, 2))
methods("cauchy", ["ppf", "isf"], [uniform(0.01, 0.99, 8) + [0.5, 0.25], [0] * 8 + [1, 0], [1] * 8 + [2, 1]])
methods("laplace", ["logpdf", "pdf", "cdf"], [x_line, loc, scale], grad_methods=("logpdf", "cdf"), grad_args=g_args, argnums=(0, 1, 2))
methods("logistic", ["logpdf", "pdf", "cdf", "sf"], [x_line, loc, scale], grad_methods=("logpdf",), grad_args=g_args, argnums=(0, 1, 2))
methods("logistic", ["ppf", "isf"], [uniform(0.01, 0.99, 8) + [0, 1, 0.5], [0] * 8 + [0, 0, 1], [1] * 8 + [1, 1, 2]])
x_pos = uniform(0, 8, 10) + [-1, 0, 1e-8, 30, inf, -inf, nan]
methods("expon", all_cont, [x_pos, loc, scale], grad_methods=("logpdf", "cdf"), grad_args=[uniform(0.1, 3, 6), [0] * 6, uniform(0.5, 2, 6)],
        argnums=(0, 2))
methods("expon", ["ppf"], [uniform(0.01, 0.99, 6) + [0, 1, -0.1, 1.1, nan], [0] * 6 + [0, 1, 0, 0, 0], [1] * 6 + [1, 2, 1, 1, 1]])
x_unit = uniform(-0.5, 2.5, 10) + [0, 2, 1, -inf, inf, nan, 0.5]
methods("uniform", ["logpdf", "pdf", "cdf"], [x_unit, [0] * 10 + [0, 0, 1, 0, 0, 0, 0], [2] * 10 + [2, 2, 1, 2, 2, 2, 0.5]])
methods("uniform", ["ppf"], [uniform(0, 1, 5) + [0, 1, -0.1, 2, nan], [1] * 10, [4] * 10])
for d in ["gumbel_l", "gumbel_r"]:
    # (JAX's gradient in scale fails: its xlogy(-1, scale) differentiates an int constant)
    methods(d, all_cont, [x_line[:-3] + [0.5, 0.5, nan], loc[:-3] + [0, 0, 0], scale[:-3] + [-1, 0, 1]],
            grad_methods=("logpdf", "logcdf"), grad_args=g_args, argnums=(0, 1))
    methods(d, ["ppf"], [uniform(0.01, 0.99, 6) + [0, 1, 0.5], [0] * 6 + [0, 0, 1], [1] * 6 + [1, 1, 2]])

# ---------------------------------------------------------------------------------------------
# Continuous with shape parameters

bx = uniform(0, 1, 8) + [0, 1, -0.5, 1.5, 0.3, 0.3, 0.3, nan]
ba = uniform(0.5, 6, 8) + [2, 2, 2, 2, 0, -1, 2, 2]
bb = uniform(0.5, 6, 8) + [3, 3, 3, 3, 2, 2, 0.5, 2]
methods("beta", ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"], [bx, ba, bb], grad_methods=("logpdf", "cdf"),
        grad_args=[uniform(0.1, 0.9, 5), uniform(1, 5, 5), uniform(1, 5, 5)], argnums=(0,))
methods("beta", ["logpdf", "cdf"], [[0.5, 2.5, 4], [2, 2, 2], [3, 3, 3], [0, 2, 2], [1, 1, 3]])
gx = uniform(0, 12, 10) + [0, -1, 1e-8, 50, inf, nan]
ga = uniform(0.3, 8, 10) + [2, 2, 0.5, 3, 2, 2]
methods("gamma", ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"], [gx, ga], grad_methods=("logpdf", "cdf"),
        grad_args=[uniform(0.2, 8, 6), uniform(0.5, 6, 6)], argnums=(0, 1))
methods("gamma", ["logpdf", "cdf", "sf"], [[1, 3, 5], [2, 2, 2], [0, 1, 1], [1, 2, 0.5]])
methods("chi2", ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"], [gx, [v * 2 for v in ga]], grad_methods=("logpdf", "cdf"),
        grad_args=[uniform(0.2, 8, 6), uniform(1, 8, 6)], argnums=(0, 1))
methods("t", ["logpdf", "pdf"], [x_line, uniform(0.5, 30, 10) + [1, 2, 3, 100, 3, 3, 3]], grad_methods=("logpdf",),
        grad_args=[uniform(-3, 3, 6), uniform(1, 10, 6)], argnums=(0, 1))
methods("t", ["logpdf"], [[0.5, 1], [3, 5], [1, -1], [2, 0.5]])
methods("pareto", ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"], [uniform(1, 6, 8) + [0.5, 1, inf], uniform(0.5, 4, 8) + [2, 2, 2]],
        grad_methods=("logpdf",), grad_args=[uniform(1.2, 5, 5), uniform(0.5, 3, 5)], argnums=(0, 1))
methods("pareto", ["ppf"], [uniform(0, 1, 6) + [0, 1, 1.5], [3] * 9])
tn_x = uniform(-2, 2, 8) + [-1, 1, -3, 3, nan, 0, 0.5]
tn_a = [-1] * 8 + [-1, -1, -1, -1, -1, 1, 0.1]
tn_b = [1.5] * 8 + [1.5, 1.5, 1.5, 1.5, 1.5, -1, 8]
methods("truncnorm", ["logpdf", "pdf", "cdf", "logcdf", "sf", "logsf"], [tn_x, tn_a, tn_b])
methods("truncnorm", ["logpdf", "logcdf", "logsf"], [[6, 7, -9, 9.5], [5, 5, -10, 9], [8, 12, -8, 15]])
methods("vonmises", ["logpdf", "pdf"], [uniform(-3, 3, 8) + [0, 1, 1], uniform(0.1, 20, 8) + [0, -1, 200]],
        grad_methods=("logpdf",), grad_args=[uniform(-3, 3, 5), uniform(0.5, 10, 5)], argnums=(0, 1))
methods("gennorm", ["logpdf", "pdf", "cdf"], [uniform(-3, 3, 8) + [0, -1, inf], uniform(0.5, 4, 8) + [1, 2, 2]],
        grad_methods=("logpdf",), grad_args=[uniform(0.2, 3, 5), uniform(0.8, 3, 5)], argnums=(0, 1))
methods("wrapcauchy", ["logpdf", "pdf"], [uniform(0, 6.28, 8) + [-0.1, 7, 1, 1], uniform(0.05, 0.95, 8) + [0.5, 0.5, 0, 1]])

# ---------------------------------------------------------------------------------------------
# Discrete

k_b = [0, 1, 0, 1, 2, -1, 0.5, 1]
p_b = [0.3, 0.3, 0, 1, 0.3, 0.3, 0.3, 0.999]
methods("bernoulli", ["logpmf", "pmf"], [k_b, p_b])
methods("bernoulli", ["cdf"], [[-1, 0, 0.5, 1, 2, 0, nan], [0.25, 0.25, 0.25, 0.25, 0.25, 1.5, 0.5]])
methods("bernoulli", ["ppf"], [[0, 0.5, 0.8, 1, -0.1, 0.5], [0.25, 0.25, 0.25, 0.25, 0.25, nan]])
k_bin = [0, 1, 2, 5, 10, 3, -1, 11, 0, 10, 2.5]
n_bin = [10, 10, 10, 10, 10, 5, 10, 10, 0, 10, 5]
p_bin = [0.3, 0.3, 0.3, 0.3, 0.3, 0.9, 0.3, 0.3, 0.5, 1, 0.4]
methods("binom", ["logpmf", "pmf"], [k_bin, n_bin, p_bin], skip_ref=("logpmf", "pmf"))
k_poi = [0, 1, 2, 5, 10, 30, -1, 1.5, 3]
mu_poi = [1, 1, 2.5, 4, 0.5, 20, 1, 1, 0]
methods("poisson", ["logpmf", "pmf", "cdf"], [k_poi, mu_poi], grad_methods=("logpmf", "cdf"),
        grad_args=[[0, 1, 3, 7], uniform(0.5, 8, 4)], argnums=(1,))
case("poisson.entropy", js.poisson.entropy, ss.poisson.entropy, [[0.5, 1, 5, 10, 50, 99, 100, 500, 0]])
methods("geom", ["logpmf", "pmf"], [[1, 2, 5, 0, -1, 3], [0.3, 0.3, 0.7, 0.3, 0.3, 1]])
methods("nbinom", ["logpmf", "pmf"], [[0, 1, 4, 10, -1, 2], [3, 3, 2.5, 5, 3, 1], [0.4, 0.4, 0.6, 0.2, 0.4, 0.5]])
methods("betabinom", ["logpmf", "pmf"], [[0, 1, 3, 5, 6, -1, 2.7], [5, 5, 5, 5, 5, 5, 5], [2, 0.5, 3, 1, 2, 2, 2], [3, 2, 0.5, 1, 2, 2, 2]])

# ---------------------------------------------------------------------------------------------
# Multivariate

alpha = [1.5, 2.0, 3.5]
dir_x = [[0.2, 0.5, 0.1], [0.3, 0.25, 0.6], [0.5, 0.25, 0.3]]  # points along axis 0; the last is off the simplex
case("dirichlet.logpdf", js.dirichlet.logpdf, None, [dir_x, alpha])
case("dirichlet.pdf", js.dirichlet.pdf, None, [[0.2, 0.3, 0.5], alpha])
case("dirichlet.logpdf", js.dirichlet.logpdf, None, [[[0.2, 0.6], [0.3, 0.1]], alpha])
# (SciPy replaces the last probability by 1 - sum(others); JAX, and jaxfx, take p as given)
case("multinomial.logpmf", js.multinomial.logpmf, None, [[1, 2, 3], 6, [0.2, 0.3, 0.5]], arg_dtypes=[np.int32, np.int32, f32])
case("multinomial.pmf", js.multinomial.pmf, None, [[1, 2, 2], 6, [0.2, 0.3, 0.5]], arg_dtypes=[np.int32, np.int32, f32])
# A batch: JAX compares n with the sum of all of x (so both rows get -inf); each row is checked
# against its own sum in jaxfx, and SciPy's value is the reference
case("multinomial.logpmf", js.multinomial.logpmf, ss.multinomial.logpmf, [[[1, 2, 3], [0, 0, 6]], 6, [0.2, 0.3, 0.5]],
     arg_dtypes=[np.int32, np.int32, f32])
cov = [[2.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 0.5]]
mvx = [[0.5, -1.0, 0.2], [1.0, 0.0, 0.0], [-2.0, 1.0, 3.0]]
case("multivariateNormal.logpdf", js.multivariate_normal.logpdf, ss.multivariate_normal.logpdf, [mvx, [0.1, 0.2, -0.1], cov],
     argnums=(0, 1, 2), grad_args=[mvx, [0.1, 0.2, -0.1], cov])
case("multivariateNormal.pdf", js.multivariate_normal.pdf, ss.multivariate_normal.pdf, [[0.5, -1.0, 0.2], [0.0, 0.0, 0.0], cov])
case("multivariateNormal.logpdf", js.multivariate_normal.logpdf, None, [[0.5, -1.0], [0.0, 1.0], 2.0])
case("multivariateNormal.logpdf", js.multivariate_normal.logpdf, None, [[0.5, -1.0], 0.5, 2.0])
batch_cov = [cov, [[1.0, 0.0, 0.0], [0.0, 2.0, 0.5], [0.0, 0.5, 1.0]]]
case("multivariateNormal.logpdf", js.multivariate_normal.logpdf, None, [[[0.5, -1.0, 0.2]], [0.0, 0.0, 0.0], batch_cov])

write("scipy_stats", cases)
