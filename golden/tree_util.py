"""Golden cases for jax.tree / jax.tree_util functions beyond flatten/map: key paths and keystr,
broadcast, reduce_associative (its call order, recorded as a parenthesized string), flatten_one_level,
all_leaves, is_tree_node, and register_dataclass / register_static. Trees hold small ints and
strings; JS arrays stand for Python lists (tuples are written as lists here).
"""
import dataclasses
import functools

import jax
import jax.tree_util as tu

from common import write

cases = []


def case(id_, **kw):
    cases.append({"id": id_, **kw})


def paths(t, **kw):
    return [[tu.keystr(p, **kw), leaf] for p, leaf in jax.tree.leaves_with_path(t)]


T1 = {"layers": [{"w": 1, "b": 2}, {"w": 3, "b": 4}], "out": 5, "it's": [6]}
case("leaves_with_path", tree=T1, out=paths(T1))
case("keystr_simple_slash", tree=T1, out=paths(T1, simple=True, separator="/"))

for i, (prefix, full) in enumerate([
    ([1, {"a": 2}], [[5, 6], {"a": [7, 8]}]),
    (0, {"w": [1, 2], "b": 3}),
    ({"x": 1, "y": [2, 3]}, {"x": [[1, 2], 3], "y": [4, {"z": 5}]}),
]):
    case(f"broadcast_{i}", prefix=prefix, full=full, out=jax.tree.broadcast(prefix, full))

for n in [1, 2, 3, 5, 8]:
    leaves = [str(i) for i in range(n)]
    case(f"reduce_associative_{n}", tree=leaves,
         out=jax.tree.reduce_associative(lambda a, b: f"({a}+{b})", leaves))

case("flatten_one_level_dict", tree={"b": {"c": 3}, "a": [1, 2]},
     out=[list(c) for c in [tu.flatten_one_level({"b": {"c": 3}, "a": [1, 2]})[0]]] + [list(tu.flatten_one_level({"b": {"c": 3}, "a": [1, 2]})[1])])
case("all_leaves", out=[tu.all_leaves([1, 2]), tu.all_leaves([1, [2]]), tu.all_leaves([]), tu.all_leaves([None])])
# is_tree_node takes a type in JAX; jaxfx takes a value (JS values have no Python-like types for lists vs objects).
case("is_tree_node", out=[tu.is_tree_node(type(v)) for v in [{"a": 1}, [1], 1, None, "s"]])


@functools.partial(tu.register_dataclass, data_fields=["w", "b"], meta_fields=["act"])
@dataclasses.dataclass
class Linear:
    w: object
    b: object
    act: str


m = {"l": [Linear(1, 2, "relu"), Linear(3, 4, "tanh")]}
case("dataclass_paths", out=paths(m))
case("dataclass_structure_equal", out=[
    jax.tree.structure(Linear(1, 2, "relu")) == jax.tree.structure(Linear(5, 6, "relu")),
    jax.tree.structure(Linear(1, 2, "relu")) == jax.tree.structure(Linear(1, 2, "tanh")),
])
mapped = jax.tree.map(lambda x: x * 10, m)
case("dataclass_map", out=[[x.w, x.b, x.act] for x in mapped["l"]])


class Act:
    def __init__(self, name):
        self.name = name

    def __eq__(self, other):
        return isinstance(other, Act) and other.name == self.name

    def __hash__(self):
        return hash(self.name)


tu.register_static(Act)
case("static_leaves", out=[jax.tree.leaves({"w": 1, "act": Act("relu")}), jax.tree.structure(Act("a")).num_leaves,
                           jax.tree.structure({"a": Act("x")}) == jax.tree.structure({"a": Act("x")}),
                           jax.tree.structure({"a": Act("x")}) == jax.tree.structure({"a": Act("y")})])

write("tree_util", cases)
