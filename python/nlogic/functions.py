"""Functions of the NeuraLogic language: transformations, combinations and
aggregations, as PyNeuraLogic 0.9.2 names them
(`neuralogic.core.constructs.function`), and `FContainer`, a function applied
to literals inside a rule body (`R.a(X) + R.b(X)`, `F.max(...)`).

What maps to what (Python -> NeuraLogic text -> nlogic IR):

- a `TransformationFunction` (`F.sigmoid`, `Transformation.TANH`, ...) is a
  transformation name: `transformation=sigmoid` in rule or relation settings
  (`nlogic.transform sigmoid`), or a wrapper around one body literal,
  `sigmoid(b(X))`. `F.transp` applied to a literal (`R.k(V.J).T`) is written
  `k(J)^T` (a transposed `nlogic.atom`).
- Parametrised transformations print their arguments in the form nlogic's
  importer reads: `leakyrelu(0.2)`, `slice(rows=[0, 2], cols=[1, 3])` (PyNeuraLogic
  prints `cols=...` for a whole axis; nlogic leaves the argument out),
  `reshape(shape=(2, 3))`.
- a `CombinationFunction` (`F.product`, `Combination.SUM`, ...) is
  `combination=product` (`nlogic.combine product`); `F.concat(axis=0)` prints
  `concat(axis=0)`.
- an `AggregationFunction` (`F.sum_agg`, `Aggregation.AVG`, ...) is
  `aggregation=sum` (the rule's `aggregate` attribute);
  `F.softmax_agg(agg_terms=["J"])` is `softmax(agg_terms=[J])` (`aggregate
  softmax over ["J"]`).

The names are PyNeuraLogic's, lower-cased (`Combination.ELPRODUCT` is
`elproduct`, `Transformation.TRANSP` is `transpose`, `Transformation.LEAKY_RELU`
is `leakyrelu`); nlogic's importer reads every one of them.

This module has no dependency on the rest of nlogic except a lazy import of
`language` (to attach a transformation to a relation).
"""

from collections.abc import Iterable, Sequence
from numbers import Real
from typing import Any

__all__ = [
    "Function",
    "TransformationFunction",
    "CombinationFunction",
    "AggregationFunction",
    "LeakyReLuTransformation",
    "Slice",
    "Reshape",
    "ConcatCombination",
    "ConcatAggregation",
    "SoftmaxAggregation",
    "FContainer",
    "Transformation",
    "Combination",
    "Aggregation",
    "F",
]


def _is_number(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


class Function:
    """A named function of the language (base of the three kinds).

    `str(function)` is the name (and arguments) as it appears in metadata,
    `function.wrap(text)` the function applied to a literal's text.
    """

    __slots__ = ("name", "operator", "can_flatten")

    def __init__(self, name: str, *, operator: str | None = None, can_flatten: bool = False):
        self.name: str = name.lower()
        self.operator: str | None = operator
        self.can_flatten = can_flatten

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return self.__str__()

    def wrap(self, content: str) -> str:
        """The function applied to a literal: `name(content)`."""
        return f"{self.name}({content})"

    def pretty_str(self) -> str:
        return str(self).capitalize()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if len(args) == 0:
            return self
        raise NotImplementedError(f"{self.name} cannot be applied to {args!r}")

    def is_parametrized(self) -> bool:
        """Whether the function carries arguments (`leakyrelu(0.2)`, `slice(...)`)."""
        return False

    def rule_head_dependant(self) -> bool:
        return False

    def process_head(self, head: Any) -> "Function":
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Function):
            return NotImplemented
        return type(self) is type(other) and str(self) == str(other)

    def __hash__(self) -> int:
        return hash((type(self).__name__, str(self)))


class TransformationFunction(Function):
    """A transformation: applied to a rule's (or relation's) combined value,
    or to one body literal.

    Called with a relation, it returns the relation with the transformation
    attached (`F.sigmoid(R.b(V.X))` prints `sigmoid(b(X))`); called with an
    expression (an `FContainer`), it returns a new expression node; called
    with nothing, it returns itself (so `F.sigmoid()` and `F.sigmoid` are the
    same in metadata lists).
    """

    __slots__ = ()

    def __call__(self, relation: Any = None, **kwargs: Any) -> Any:
        if relation is None:
            return self
        from . import language

        if (
            isinstance(relation, language.BaseRelation)
            and not isinstance(relation, language.WeightedRelation)
            and not relation.negated
        ):
            return relation.attach_activation_function(self)
        if isinstance(relation, (list, tuple)):
            return FContainer(tuple(relation), self)
        return FContainer((relation,), self)


class CombinationFunction(Function):
    """A combination: how the values of a rule body's literals are combined
    (`combination=...` metadata). Called with relations it builds a body
    expression (`F.max(R.a(V.X), R.b(V.X))`); with nothing, it is itself."""

    __slots__ = ()

    def __call__(self, *relations: Any) -> Any:
        if len(relations) == 0:
            return self
        return FContainer(relations, self)


class AggregationFunction(Function):
    """An aggregation: how the values of a rule's groundings that share a head
    are aggregated (`aggregation=...` metadata). It only appears in rule
    metadata."""

    __slots__ = ()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if args:
            raise TypeError(
                f"aggregation {self.name} aggregates a rule's groundings: put it in the rule's metadata "
                f"(`(head <= body) | [{self.name}]`) instead of applying it to literals"
            )
        return self


class LeakyReLuTransformation(TransformationFunction):
    """LeakyReLU, with an optional negative slope: `F.leaky_relu` prints
    `leakyrelu`, `F.leaky_relu(0.2)` prints `leakyrelu(0.2)` (the IR's `alpha`).

    `F.leaky_relu(R.a(V.X))` attaches the default LeakyReLU to a relation and
    `F.leaky_relu(0.2, R.a(V.X))` the one with slope 0.2.
    """

    __slots__ = ("slope",)

    def __init__(self, name: str, *, slope: float | None = None):
        super().__init__(name)
        self.slope = slope

    def __call__(self, slope: Any = None, *args: Any, **kwargs: Any) -> Any:
        if slope is None:
            return TransformationFunction.__call__(self, *args, **kwargs)
        if not _is_number(slope):
            # F.leaky_relu(R.a(V.X)): the argument is what to apply it to.
            return TransformationFunction.__call__(self, slope, *args, **kwargs)
        function = LeakyReLuTransformation(self.name, slope=float(slope))
        if args or kwargs:
            return TransformationFunction.__call__(function, *args, **kwargs)
        return function

    def is_parametrized(self) -> bool:
        return self.slope is not None

    def __str__(self) -> str:
        if self.slope is None:
            return self.name
        return f"{self.name}({self.slope})"

    def wrap(self, content: str) -> str:
        if self.slope is None:
            return f"{self.name}({content})"
        return f"{self.name}({content}, {self.slope})"


def _int_pair(value: Any) -> Any:
    if value is Ellipsis or value is None:
        return Ellipsis
    return [int(x) for x in value]


class Slice(TransformationFunction):
    """`F.slice(rows=(0, 2), cols=(1, 3))`: the sub-tensor of rows [0, 2) and
    columns [1, 3). Printed `slice(rows=[0, 2], cols=[1, 3])`; an axis left
    whole (`...`, PyNeuraLogic's default) is left out of the text."""

    __slots__ = ("rows", "cols")

    def __init__(self, name: str, *, rows: Any = ..., cols: Any = ...):
        super().__init__(name)
        self.rows = _int_pair(rows)
        self.cols = _int_pair(cols)

    def __call__(self, relation: Any = None, *, rows: Any = ..., cols: Any = ...) -> Any:
        function = Slice(self.name, rows=rows, cols=cols)
        return TransformationFunction.__call__(function, relation)

    def is_parametrized(self) -> bool:
        return True

    def _args(self) -> list[str]:
        args = []
        if self.rows is not Ellipsis:
            args.append(f"rows={self.rows}")
        if self.cols is not Ellipsis:
            args.append(f"cols={self.cols}")
        return args

    def __str__(self) -> str:
        args = self._args()
        return f"{self.name}({', '.join(args)})" if args else self.name

    def wrap(self, content: str) -> str:
        return f"{self.name}({', '.join([content] + self._args())})"


class Reshape(TransformationFunction):
    """`F.reshape(shape=(2, 3))`: the value reshaped. Printed
    `reshape(shape=(2, 3))` (an integer shape `n` is `(n,)`)."""

    __slots__ = ("shape",)

    def __init__(self, name: str, *, shape: Any = None):
        super().__init__(name)
        self.shape = (shape,) if isinstance(shape, int) else shape

    def __call__(self, relation: Any = None, *, shape: Any = None) -> Any:
        function = Reshape(self.name, shape=shape)
        return TransformationFunction.__call__(function, relation)

    def is_parametrized(self) -> bool:
        return True

    def __str__(self) -> str:
        return f"{self.name}(shape={self.shape})"

    def wrap(self, content: str) -> str:
        return f"{self.name}({content}, shape={self.shape})"


class ConcatCombination(CombinationFunction):
    """`F.concat` (`concat`), `F.concat(axis=0)` (`concat(axis=0)`), and
    `F.concat(R.a(V.X), R.b(V.X), axis=0)` as a body expression."""

    __slots__ = ("axis",)

    def __init__(self, name: str, *, axis: int = -1):
        super().__init__(name)
        self.axis = axis

    def __call__(self, *relations: Any, axis: int = -1) -> Any:
        function = ConcatCombination(self.name, axis=axis)
        return CombinationFunction.__call__(function, *relations)

    def is_parametrized(self) -> bool:
        return self.axis != -1

    def __str__(self) -> str:
        if self.axis == -1:
            return "concat"
        return f"concat(axis={self.axis})"


class ConcatAggregation(AggregationFunction):
    """`F.concat_agg` (`concat`) and `F.concat_agg(axis=0)` (`concat(axis=0)`)."""

    __slots__ = ("axis",)

    def __init__(self, name: str, *, axis: int = -1):
        super().__init__(name)
        self.axis = axis

    def __call__(self, *args: Any, axis: int = -1) -> Any:
        if args:
            return AggregationFunction.__call__(self, *args)
        return ConcatAggregation(self.name, axis=axis)

    def is_parametrized(self) -> bool:
        return self.axis != -1

    def __str__(self) -> str:
        if self.axis == -1:
            return "concat"
        return f"concat(axis={self.axis})"


class SoftmaxAggregation(AggregationFunction):
    """`F.softmax_agg` (`softmax`) and `F.softmax_agg(agg_terms=["J"])`
    (`softmax(agg_terms=[J])`: a softmax over the groundings that differ in
    `J`, one distribution per value of the other head variables). The terms
    may be given as strings or as variables (`V.J`)."""

    __slots__ = ("agg_terms", "term_indices")

    def __init__(self, name: str, *, agg_terms: Sequence[Any] | None = None):
        super().__init__(name)
        self.agg_terms = None if agg_terms is None else [str(t) for t in agg_terms]
        self.term_indices = None

    def __call__(self, *args: Any, agg_terms: Sequence[Any] | None = None) -> Any:
        if args:
            return AggregationFunction.__call__(self, *args)
        return SoftmaxAggregation(self.name, agg_terms=agg_terms)

    def is_parametrized(self) -> bool:
        return self.agg_terms is not None

    def __str__(self) -> str:
        if self.agg_terms is None:
            return "softmax"
        return f"softmax(agg_terms=[{', '.join(self.agg_terms)}])"

    def rule_head_dependant(self) -> bool:
        return self.agg_terms is not None

    def process_head(self, head: Any) -> "SoftmaxAggregation":
        """Checks the terms are variables and records their positions in the
        head (PyNeuraLogic does this when the metadata is set on a rule)."""
        indices = []
        for term in dict.fromkeys(self.agg_terms):
            if not (term[:1].isupper() or term[:1] == "_"):
                raise TypeError(f"Softmax aggregable terms can be only variables. Provided: {term}")
            for i, head_term in enumerate(head.terms):
                if str(head_term) == term:
                    indices.append(i)
                    break
        aggregation = SoftmaxAggregation(self.name, agg_terms=self.agg_terms)
        aggregation.term_indices = indices
        return aggregation


class FContainer:
    """A function applied to body literals (or to other containers): the
    expression that `+` (sum), `*` (elproduct), `@` (product) and
    `F.<function>(...)` build inside a rule body.

    `str(container)` is PyNeuraLogic's expression text (`a(X) + b(X) @ c(X)`),
    for display. nlogic's importer has no expression syntax: a rule whose body
    is (or contains) a container is written by `Rule` as rules the importer
    reads (a flat container becomes the rule's `combination`; see
    `language.Rule`).
    """

    __slots__ = ("nodes", "function")

    def __init__(self, nodes: Iterable[Any], function: Function):
        self.function = function
        nodes = tuple(nodes)
        self.nodes = nodes if not function.can_flatten else self.get_flattened_nodes(nodes, function)

    @staticmethod
    def get_flattened_nodes(nodes: Iterable[Any], function: Function) -> tuple:
        """`(a + b) + c` is `sum(a, b, c)`: nested containers of the same
        (associative) function are merged."""
        flat = []
        for node in nodes:
            if isinstance(node, FContainer) and node.function.name == function.name:
                flat.extend(node.nodes)
            else:
                flat.append(node)
        return tuple(flat)

    def __add__(self, other: Any) -> "FContainer":
        return FContainer((self, other), Combination.SUM)

    def __mul__(self, other: Any) -> "FContainer":
        return FContainer((self, other), Combination.ELPRODUCT)

    def __matmul__(self, other: Any) -> "FContainer":
        return FContainer((self, other), Combination.PRODUCT)

    def __and__(self, other: Any) -> Any:
        from . import language

        return language.RuleBody(self, other)

    def __iter__(self):
        """The literals of the expression, depth first."""
        for node in self.nodes:
            if isinstance(node, FContainer):
                yield from node
            else:
                yield node

    @property
    def name(self) -> str:
        args = ", ".join(str(node.function) for node in self.nodes if isinstance(node, FContainer))
        return f"{self.function}({args})" if args else f"{self.function}"

    def __str__(self) -> str:
        if self.function.operator is not None:
            return f" {self.function.operator} ".join(
                node.to_str(True) if isinstance(node, FContainer) else node.to_str() for node in self.nodes
            )
        args = ", ".join(node.to_str() for node in self.nodes)
        return f"{self.function}({args})" if args else f"{self.function}"

    def __repr__(self) -> str:
        return self.__str__()

    def to_str(self, parentheses_wrap: bool = False) -> str:
        if parentheses_wrap and self.function.operator is not None:
            return f"({self})"
        return self.__str__()


class Transformation:
    """PyNeuraLogic's catalogue of transformations (`Transformation.SIGMOID`, ...)."""

    # Element-wise
    SIGMOID = TransformationFunction("SIGMOID")
    TANH = TransformationFunction("TANH")
    SIGNUM = TransformationFunction("SIGNUM")
    RELU = TransformationFunction("RELU")
    LEAKY_RELU = LeakyReLuTransformation("LEAKYRELU")
    LUKASIEWICZ = TransformationFunction("LUKASIEWICZ")
    EXP = TransformationFunction("EXP")
    SQRT = TransformationFunction("SQRT")
    INVERSE = TransformationFunction("INVERSE")
    REVERSE = TransformationFunction("REVERSE")
    LOG = TransformationFunction("LOG")

    # On the whole value
    IDENTITY = TransformationFunction("IDENTITY")
    TRANSP = TransformationFunction("TRANSPOSE")
    SOFTMAX = TransformationFunction("SOFTMAX")
    SPARSEMAX = TransformationFunction("SPARSEMAX")
    NORM = TransformationFunction("NORM")
    SLICE = Slice("SLICE")
    RESHAPE = Reshape("RESHAPE")


class Combination:
    """PyNeuraLogic's catalogue of combinations (`Combination.PRODUCT`, ...)."""

    AVG = CombinationFunction("AVG")
    MAX = CombinationFunction("MAX", can_flatten=True)
    MIN = CombinationFunction("MIN", can_flatten=True)
    SUM = CombinationFunction("SUM", operator="+", can_flatten=True)
    COUNT = CombinationFunction("COUNT")

    PRODUCT = CombinationFunction("PRODUCT", operator="@")
    ELPRODUCT = CombinationFunction("ELPRODUCT", operator="*", can_flatten=True)
    SOFTMAX = CombinationFunction("SOFTMAX")
    SPARSEMAX = CombinationFunction("SPARSEMAX")
    CROSSSUM = CombinationFunction("CROSSSUM")
    CONCAT = ConcatCombination("CONCAT")
    COSSIM = CombinationFunction("COSSIM")


class Aggregation:
    """PyNeuraLogic's catalogue of aggregations (`Aggregation.SUM`, ...)."""

    AVG = AggregationFunction("AVG")
    MAX = AggregationFunction("MAX")
    MIN = AggregationFunction("MIN")
    SUM = AggregationFunction("SUM")
    COUNT = AggregationFunction("COUNT")
    CONCAT = ConcatAggregation("CONCAT")
    SOFTMAX = SoftmaxAggregation("SOFTMAX")


class F:
    """PyNeuraLogic's flat namespace of functions: transformations by their
    name (`F.sigmoid`), combinations by theirs (`F.product`, `F.max`,
    `F.softmax_comb`), aggregations with `_agg` (`F.sum_agg`,
    `F.softmax_agg`)."""

    # Element-wise transformations
    sigmoid = Transformation.SIGMOID
    tanh = Transformation.TANH
    signum = Transformation.SIGNUM
    relu = Transformation.RELU
    leaky_relu = Transformation.LEAKY_RELU
    lukasiewicz = Transformation.LUKASIEWICZ
    exp = Transformation.EXP
    sqrt = Transformation.SQRT
    inverse = Transformation.INVERSE
    reverse = Transformation.REVERSE
    log = Transformation.LOG

    # Transformations on the whole value
    identity = Transformation.IDENTITY
    transp = Transformation.TRANSP
    softmax = Transformation.SOFTMAX
    sparsemax = Transformation.SPARSEMAX
    norm = Transformation.NORM
    slice = Transformation.SLICE
    reshape = Transformation.RESHAPE

    # Combinations
    avg = Combination.AVG
    max = Combination.MAX
    min = Combination.MIN
    sum = Combination.SUM
    count = Combination.COUNT

    product = Combination.PRODUCT
    elproduct = Combination.ELPRODUCT
    softmax_comb = Combination.SOFTMAX
    sparsemax_comb = Combination.SPARSEMAX
    crossum = Combination.CROSSSUM  # PyNeuraLogic's spelling
    concat = Combination.CONCAT
    cossim = Combination.COSSIM

    # Aggregations
    avg_agg = Aggregation.AVG
    max_agg = Aggregation.MAX
    min_agg = Aggregation.MIN
    sum_agg = Aggregation.SUM
    count_agg = Aggregation.COUNT
    concat_agg = Aggregation.CONCAT
    softmax_agg = Aggregation.SOFTMAX
