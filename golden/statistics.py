"""Statistics from real JAX: quantile/percentile/nanquantile/nanpercentile (every method, q scalar
and 1-D, axis None/int/tuple, keepdims, inverted_cdf weights), median/nanmedian, average (weights,
returned), cov (y, rowvar, bias, ddof, fweights, aweights), corrcoef, histogram and
histogram_bin_edges (bins, range, weights, density), the nan* reductions and ptp, on float32 with
NaN/inf and on int32. Read by core/numpy/statistics.test.ts. Case format as in golden/sorting.py.

Run: /work/venv/bin/python golden/statistics.py
"""
import numpy as np
import jax
import jax.numpy as jnp

from common import enc, write

jax.config.update("jax_enable_x64", False)
rng = np.random.default_rng(0)
nan = np.nan
X = rng.normal(size=(3, 4, 5)).astype(np.float32)
V = np.array([3.5, -1.0, 2.0, 2.0, 7.25, 0.0, -4.5], dtype=np.float32)
N = np.array([[1.0, nan, 3.0, -2.0], [nan, nan, nan, nan], [0.5, 4.0, nan, 1.0]], dtype=np.float32)
I = np.array([[4, 1, 7, 3], [2, 9, 5, 5]], dtype=np.int32)
W = np.abs(rng.normal(size=(3, 4, 5))).astype(np.float32)
cases = []


def arg(a):
    if isinstance(a, np.ndarray):
        return enc(a)
    if isinstance(a, (list, tuple)):
        return [arg(b) for b in a]
    return a


def add(fn, args, opts, out):
    if fn == "np.histogramdd":  # (hist, [edges per dimension]) flattened
        out = [out[0], *out[1]]
    enc_out = [enc(o) for o in out] if isinstance(out, (tuple, list)) else enc(out)
    cases.append({"fn": fn, "args": [arg(a) for a in args], "opts": opts, "out": enc_out})


methods = ["linear", "lower", "higher", "midpoint", "nearest", "inverted_cdf"]
Q1 = np.array([0.0, 0.1, 0.5, 0.77, 1.0], dtype=np.float32)
for method in methods:
    for x in (X, V, I):
        for axis in ([None, 0, -1, (0, 2)] if x.ndim == 3 else [None, 0, -1] if x.ndim == 2 else [None]):
            ax = list(axis) if isinstance(axis, tuple) else axis
            for keepdims in (False, True):
                add("np.quantile", [x, 0.3], {"axis": ax, "method": method, "keepdims": keepdims}, jnp.quantile(x, 0.3, axis=axis, method=method, keepdims=keepdims))
            add("np.quantile", [x, Q1], {"axis": ax, "method": method}, jnp.quantile(x, Q1, axis=axis, method=method))
            add("np.percentile", [x, np.array([5.0, 50.0, 95.0], np.float32)], {"axis": ax, "method": method},
                jnp.percentile(x, np.array([5.0, 50.0, 95.0], np.float32), axis=axis, method=method))
    for axis in (None, 1):
        add("np.quantile", [N, Q1], {"axis": axis, "method": method}, jnp.quantile(N, Q1, axis=axis, method=method))
        add("np.nanquantile", [N, Q1], {"axis": axis, "method": method}, jnp.nanquantile(N, Q1, axis=axis, method=method))
        add("np.nanpercentile", [N, 40.0], {"axis": axis, "method": method, "keepdims": True}, jnp.nanpercentile(N, 40.0, axis=axis, method=method, keepdims=True))
add("np.quantile", [X, Q1], {"axis": -1, "method": "inverted_cdf", "weights": enc(W)}, jnp.quantile(X, Q1, axis=-1, method="inverted_cdf", weights=W))
add("np.quantile", [X, 0.4], {"axis": 1, "method": "inverted_cdf", "weights": enc(W[0, :, 0].copy())}, jnp.quantile(X, 0.4, axis=1, method="inverted_cdf", weights=W[0, :, 0]))
for x in (X, V, I, N):
    add("np.median", [x], {}, jnp.median(x))
    add("np.median", [x], {"axis": 0, "keepdims": True}, jnp.median(x, axis=0, keepdims=True))
    add("np.nanmedian", [x], {}, jnp.nanmedian(x))
    add("np.nanmedian", [x], {"axis": -1}, jnp.nanmedian(x, axis=-1))

add("np.average", [X], {}, jnp.average(X))
add("np.average", [X], {"axis": 1, "weights": enc(W), "returned": True}, jnp.average(X, axis=1, weights=W, returned=True))
add("np.average", [X], {"axis": [0, 2], "weights": enc(W[:, 0, :].copy()), "keepdims": True}, jnp.average(X, axis=(0, 2), weights=W[:, 0, :], keepdims=True))
add("np.average", [I], {"axis": 1, "returned": True}, jnp.average(I, axis=1, returned=True))
add("np.average", [I], {"axis": 1, "weights": enc(np.array([1, 0, 2, 1], np.int32))}, jnp.average(I, axis=1, weights=np.array([1, 0, 2, 1], np.int32)))

M = rng.normal(size=(3, 6)).astype(np.float32)
Y = rng.normal(size=(6,)).astype(np.float32)
FW = np.array([1, 2, 0, 3, 1, 1], dtype=np.int32)
AW = np.abs(rng.normal(size=(6,))).astype(np.float32)
add("np.cov", [M, None], {}, jnp.cov(M))
add("np.cov", [M, Y], {}, jnp.cov(M, Y))
add("np.cov", [M.T.copy(), None], {"rowvar": False}, jnp.cov(M.T, rowvar=False))
add("np.cov", [M, None], {"bias": True}, jnp.cov(M, bias=True))
add("np.cov", [M, None], {"ddof": 3}, jnp.cov(M, ddof=3))
add("np.cov", [M, None], {"fweights": enc(FW)}, jnp.cov(M, fweights=FW))
add("np.cov", [M, None], {"aweights": enc(AW)}, jnp.cov(M, aweights=AW))
add("np.cov", [M, None], {"fweights": enc(FW), "aweights": enc(AW), "ddof": 0}, jnp.cov(M, fweights=FW, aweights=AW, ddof=0))
add("np.cov", [M, None], {"fweights": enc(FW), "aweights": enc(AW)}, jnp.cov(M, fweights=FW, aweights=AW))
add("np.cov", [Y, None], {}, jnp.cov(Y))
add("np.cov", [I, None], {}, jnp.cov(I))
add("np.corrcoef", [M, None], {}, jnp.corrcoef(M))
add("np.corrcoef", [M, Y], {}, jnp.corrcoef(M, Y))
add("np.corrcoef", [Y, None], {}, jnp.corrcoef(Y))
add("np.corrcoef", [I.T.copy(), None], {"rowvar": False}, jnp.corrcoef(I.T, rowvar=False))

H = np.array([0.0, 0.5, 1.0, 1.0, 2.5, 3.0, 4.0, -1.0, 9.0, 2.0], dtype=np.float32)
for bins in (1, 3, 10):
    add("np.histogram", [H], {"bins": bins}, jnp.histogram(H, bins=bins))
    add("np.histogramBinEdges", [H], {"bins": bins}, jnp.histogram_bin_edges(H, bins=bins))
    add("np.histogram", [H], {"bins": bins, "range": [0.0, 4.0], "density": True}, jnp.histogram(H, bins=bins, range=(0.0, 4.0), density=True))
E = np.array([-1.0, 0.0, 1.0, 2.0, 2.5, 4.0], dtype=np.float32)
HW = np.linspace(0.1, 1.0, 10).astype(np.float32)
add("np.histogram", [H], {"bins": enc(E)}, jnp.histogram(H, bins=E))
add("np.histogram", [H], {"bins": enc(E), "weights": enc(HW)}, jnp.histogram(H, bins=E, weights=HW))
add("np.histogram", [H], {"bins": 4, "weights": enc(HW), "density": True}, jnp.histogram(H, bins=4, weights=HW, density=True))
add("np.histogram", [np.array([2, 2, 2], np.int32)], {"bins": 3}, jnp.histogram(np.array([2, 2, 2], np.int32), bins=3))
add("np.histogram", [I], {}, jnp.histogram(I))

S = rng.normal(size=(12, 3)).astype(np.float32)
SW = np.abs(rng.normal(size=(12,))).astype(np.float32)
add("np.histogramdd", [S], {}, jnp.histogramdd(S))
add("np.histogramdd", [S], {"bins": 3}, jnp.histogramdd(S, bins=3))
add("np.histogramdd", [S], {"bins": [2, 3, 4], "weights": enc(SW)}, jnp.histogramdd(S, bins=[2, 3, 4], weights=SW))
add("np.histogramdd", [S], {"bins": [2, enc(E), 3], "range": [[-1.0, 1.0], None, None], "density": True},
    jnp.histogramdd(S, bins=[2, E, 3], range=[(-1.0, 1.0), None, None], density=True))
add("np.histogram2d", [S[:, 0].copy(), S[:, 1].copy()], {}, jnp.histogram2d(S[:, 0], S[:, 1]))
add("np.histogram2d", [S[:, 0].copy(), S[:, 1].copy()], {"bins": [3, 2], "weights": enc(SW), "density": True}, jnp.histogram2d(S[:, 0], S[:, 1], bins=[3, 2], weights=SW, density=True))
add("np.histogram2d", [S[:, 0].copy(), S[:, 1].copy()], {"bins": enc(E)}, jnp.histogram2d(S[:, 0], S[:, 1], bins=E))

nanfns = {
    "np.nanmax": jnp.nanmax, "np.nanmin": jnp.nanmin, "np.nansum": jnp.nansum, "np.nanprod": jnp.nanprod, "np.nanmean": jnp.nanmean,
    "np.nanvar": jnp.nanvar, "np.nanstd": jnp.nanstd, "np.ptp": jnp.ptp,
}
for name, f in nanfns.items():
    for x in (N, I, X):
        for axis in (None, 0, 1):
            for keepdims in (False, True):
                add(name, [x], {"axis": axis, "keepdims": keepdims}, f(x, axis=axis, keepdims=keepdims))
for x in (N, I):
    add("np.nanvar", [x], {"axis": 1, "ddof": 1}, jnp.nanvar(x, axis=1, ddof=1))
    add("np.nanstd", [x], {"ddof": 2}, jnp.nanstd(x, ddof=2))
    add("np.nanmax", [x], {"axis": 1, "initial": -5}, jnp.nanmax(x, axis=1, initial=-5))
    for axis in (None, 0, 1):
        add("np.nanargmax", [x], {"axis": axis}, jnp.nanargmax(x, axis=axis))
        add("np.nanargmin", [x], {"axis": axis, "keepdims": True}, jnp.nanargmin(x, axis=axis, keepdims=True))
        add("np.nancumsum", [x], {"axis": axis}, jnp.nancumsum(x, axis=axis))
        add("np.nancumprod", [x], {"axis": axis}, jnp.nancumprod(x, axis=axis))

write("statistics", cases)
