"""jnp.einsum_path's contraction paths (opt_einsum's greedy and the unoptimized order) from real
JAX. Read by core/numpy/einsum-path.golden.test.ts. Each case's args are the operands (ones of the
shapes) and its out the path as an int32 array of index pairs; the id is "<subscripts> <optimize>".

Run: /work/venv/bin/python golden/numpy_einsum_path.py
"""
import numpy as np
import jax
import jax.numpy as jnp

from common import collector, write

jax.config.update("jax_enable_x64", False)
cases, case = collector()
for s, shapes in [("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]), ("ij,jk,kl->il", [(10, 2), (2, 10), (10, 3)]),
                  ("ab,bc,cd,de->ae", [(8, 2), (2, 8), (8, 2), (2, 8)]), ("ij,j->i", [(3, 4), (4,)]), ("i,i,i->", [(5,), (5,), (5,)]),
                  ("abc,cd,db->a", [(2, 3, 4), (4, 5), (5, 3)]), ("ab,cd,bc", [(2, 3), (4, 5), (3, 4)])]:
    ops = [np.ones(sh, np.float32) for sh in shapes]
    for opt in ["greedy", False]:
        case(f"{s} {list(shapes)} {opt}", lambda *a, s=s, opt=opt: jnp.asarray(jnp.einsum_path(s, *a, optimize=opt)[0], jnp.int32), *ops)

write("numpy_einsum_path", cases)
