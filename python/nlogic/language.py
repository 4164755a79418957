"""The NeuraLogic language in Python, as PyNeuraLogic 0.9.2 writes it
(`neuralogic.core.constructs`): relations, variables, constants, weights,
rules, metadata and relation settings. Every object prints as NeuraLogic text
that nlogic's importer (`nlogic-translate --import-neuralogic`) reads; see
docs/LanguageReference.md for what the text becomes in the IR.

What maps to what (Python -> NeuraLogic text):

    R.h, R.get("h")                  h                      a relation (arity 0 until called)
    R.h(V.X, C.a, 1, 2.5, "s")       h(X, a, 1, 2.5, s)     terms: variables, constants, numbers
    V.x, V.get("x")                  X                      variables are capitalised (str.capitalize)
    C.Abc, C.get("Abc")              abc                    constants are lower-cased
    V.X("atom"), C.c("atom")         atom:X, atom:c         typed terms (nlogic cannot import them)
    V.X[1:3]                         [X1, X2]               a list of variables
    R.hidden.h(V.X), R._h(V.X)       *h(X)                  a hidden literal (joins, gives no value)
    R.special.leq(V.J, V.I)          @leq(J, I)             a builtin (nlogic.constrain)
    R.special.hidden.leq(...)        *@leq(J, I)
    R.special.alldiff(...)           @alldiff(X, Y, ...)    `...`: every variable of the rule
    R.special.truepred()             @true                  (PyNeuraLogic prints @truepred)
    R.h(V.X)[2, 3]                   {2, 3} h(X)            a weight of that shape (learnable)
    R.h(V.X)[0.5], R.h[[1, 0]]       0.5 h(X), [1, 0] h     a weight with that initial value
    R.h(V.X)["w": 2, 3]              $w={2, 3} h(X)         a named (shared) weight
    R.h(V.X)[0.5].fixed()            <0.5> h(X)             a fixed (not learned) value
    R.h(V.X)["w": 0.5].fixed()       $w=<0.5> h(X)          (PyNeuraLogic drops the name: <0.5>)
    R.k(V.J).T                       k(J)^T                 the transposed value
    F.sigmoid(R.b(V.X))              sigmoid(b(X))          a transformation of one literal
    -R.b(V.X)                        reverse(b(X))          1 - b (soft negation)
    ~R.b(V.X)                        !*b(X)                 negation as failure
    R.h(V.X) <= (R.a(V.X), R.b(V.X)) h(X) :- a(X), b(X).   a rule (also `R.a(V.X) & R.b(V.X)`)
    (rule) | [F.product, F.sum_agg]  ... . [combination=product, aggregation=sum]
    R.h / 1 | [F.sigmoid]            h/1 [transformation=sigmoid]  relation settings
    R.h(V.X) <= R.a(V.X) @ R.b(V.X)  h(X) :- a(X), b(X). [combination=product]

Body expressions (`+`, `*`, `@`, `F.max(...)`, `F.concat(..., axis=0)`,
`F.slice(R.a(V.X), rows=...)`, a transformation of an expression) have no
syntax in NeuraLogic's text. A flat one (a combination of literals) is the
rule's combination, which is what PyNeuraLogic does with it too. A nested one
(`(a @ b) * c`, `F.sigmoid(a + b)`) or a parametrised transformation of a
literal (`F.slice(R.a(V.X), rows=(0, 2))`) is written with auxiliary
relations, one per inner node, named `<head>__f<k>`:

    R.h(V.X) <= (R.a(V.X) @ R.b(V.X)) * R.c(V.X)
    ->
    h__f1/1 [transformation=identity, combination=sum]
    h__f1(X) :- a(X), b(X). [transformation=identity, combination=product, aggregation=sum]
    h(X) :- h__f1(X), c(X). [combination=elproduct]

An auxiliary rule's head has every variable of its literals, so it has one
grounding per substitution and its value is the inner node's value (the
function graph PyNeuraLogic evaluates). Hidden literals, builtins and
negations inside an expression give no value there either; they are moved to
the rule's own body.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from numbers import Integral
from typing import Any, Union

from .functions import (
    Aggregation,
    AggregationFunction,
    Combination,
    CombinationFunction,
    F,
    FContainer,
    Function,
    Transformation,
    TransformationFunction,
)
from .metadata import Metadata

__all__ = [
    # factories
    "R",
    "Relation",
    "V",
    "Var",
    "C",
    "Const",
    "AtomFactory",
    "VariableFactory",
    "ConstantFactory",
    "SpecialPredicateFactory",
    "HiddenPredicateFactory",
    # constructs
    "Variable",
    "Constant",
    "Predicate",
    "PredicateMetadata",
    "BaseRelation",
    "WeightedRelation",
    "RuleBody",
    "Rule",
    # functions and metadata (re-exported)
    "F",
    "Transformation",
    "Combination",
    "Aggregation",
    "Function",
    "FContainer",
    "Metadata",
    # rendering
    "RenderContext",
    "render_statement",
    "check_importable",
]


# ===----------------------------------------------------------------------===
# Terms
# ===----------------------------------------------------------------------===


class _Term:
    """What variables and constants share: a name, an optional type
    (printed `type:name`), typing by call (`V.X("atom")`), comparison and
    hashing by text."""

    __slots__ = ("name", "type")

    def __init__(self, name: str, type: str | None = None):
        self.name = name
        self.type = type

    def __str__(self) -> str:
        if self.type is not None:
            return f"{self.type}:{self.name}"
        return f"{self.name}"

    def __repr__(self) -> str:
        return self.__str__()

    def __call__(self, item: str):
        if isinstance(item, str):
            return type(self)(self.name, item)
        raise ValueError("Type can be only of type str")

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, (type(self), str)):
            return NotImplemented
        return str(other) == str(self)

    def __hash__(self) -> int:
        return str(self).__hash__()

    def __lt__(self, other: Any) -> bool:
        return str(self).__lt__(str(other))


class Variable(_Term):
    """A logic variable (`V.X`): printed as its name, or `type:name` when
    typed (`V.X("atom")`)."""

    __slots__ = ()

    def __getitem__(self, item: slice) -> list["Variable"]:
        """`V.X[1:4]` is `[X1, X2, X3]`."""
        if not isinstance(item, slice):
            raise ValueError("Variable range can be only defined by a slice")
        step = 1 if item.step is None else item.step
        return [Variable(f"{self.name}{i}", self.type) for i in range(item.start, item.stop, step)]


class Constant(_Term):
    """A constant (`C.a`): printed as its name, or `type:name` when typed."""

    __slots__ = ()


def _term_text(term: Any) -> str:
    if term is Ellipsis:
        return "..."
    return str(term)


def _variable_name(term: Any) -> str | None:
    """The variable a term is (a `Variable`, or a string that starts with an
    upper-case letter or `_`), else None."""
    if isinstance(term, Variable):
        return term.name
    if isinstance(term, str) and term[:1] and (term[0].isupper() or term[0] == "_"):
        return term
    return None


def _is_anonymous(term: Any) -> bool:
    return _variable_name(term) == "_"


def _is_typed(term: Any) -> bool:
    return isinstance(term, (Variable, Constant)) and term.type is not None


# ===----------------------------------------------------------------------===
# Predicates and relation settings
# ===----------------------------------------------------------------------===


class Predicate:
    """A predicate `name/arity`, possibly hidden (`*`) or special (`@`). A
    leading `_` in the name means hidden (`R._h` is `*h`)."""

    __slots__ = ("name", "arity", "hidden", "special")

    def __init__(self, name: str, arity: int, hidden: bool = False, special: bool = False):
        if name.startswith("_"):
            name = name[1:]
            hidden = True
        self.name = name
        self.arity = arity
        self.hidden = hidden
        self.special = special

    def set_arity(self, arity: int) -> "Predicate | None":
        if self.arity == arity:
            return self
        return None

    def to_str(self) -> str:
        """The predicate as written in a literal: `*`, `@`, then the name."""
        return f"{'*' if self.hidden else ''}{'@' if self.special else ''}{self.name}"

    def __str__(self) -> str:
        return f"{self.to_str()}/{self.arity}"

    def __repr__(self) -> str:
        return self.__str__()

    def __or__(self, other: Sequence | Metadata) -> "PredicateMetadata":
        """`R.h / 1 | [F.sigmoid]`: settings of the relation h/1."""
        if isinstance(other, Sequence) and not isinstance(other, str):
            other = Metadata.from_iterable(other)
        elif not isinstance(other, Metadata):
            raise TypeError(f"Predicate metadata must be Metadata or Sequence, got {type(other).__name__}")
        return PredicateMetadata(self, other)


class PredicateMetadata:
    """Relation settings, `name/arity [transformation=..., combination=...]`
    (an `nlogic.relation`'s transformation and combination: what its atom
    neurons do with the contributions of the rules that derive them)."""

    __slots__ = ("predicate", "metadata")

    def __init__(self, predicate: Predicate, metadata: Metadata):
        if metadata.aggregation is not None:
            raise ValueError(f"Cannot set 'aggregation' parameter on predicate ({predicate}) metadata")
        if metadata.learnable is not None:
            raise ValueError(f"Cannot set 'learnable' parameter on predicate ({predicate}) metadata")
        if metadata.duplicate_grounding is not None:
            raise ValueError(f"Cannot set 'duplicate_grounding' parameter on predicate ({predicate}) metadata")
        for field in ("transformation", "combination"):
            function = getattr(metadata, field)
            if function is not None and function.is_parametrized():
                # An nlogic.relation has no place for function arguments.
                raise ValueError(
                    f"nlogic cannot set the parametrised {field} {function} on a relation ({predicate}); "
                    f"set it on the rules that derive it instead"
                )
        self.predicate = predicate
        self.metadata = metadata

    def __str__(self) -> str:
        return f"{self.predicate} {self.metadata}"

    def __repr__(self) -> str:
        return self.__str__()


# ===----------------------------------------------------------------------===
# Relations (literals)
# ===----------------------------------------------------------------------===


def _is_transposition(function: Function) -> bool:
    return isinstance(function, TransformationFunction) and function.name == "transpose"


def _apply_functions(text: str, functions: Sequence[Function]) -> str:
    """A literal's text with its transformations applied (innermost first):
    a transposition applied first is `^T`, the others wrap the text."""
    for i, function in enumerate(functions):
        if i == 0 and _is_transposition(function):
            text = f"{text}^T"
        else:
            text = function.wrap(text)
    return text


class BaseRelation:
    """A relation, or a literal of it: a predicate with terms, optionally
    with transformations attached (`F.sigmoid(...)`, `.T`, `-`) or negated
    (`~`). Printed as NeuraLogic text ending with `.` (a fact) by `str()`,
    without it by `to_str()`.

    `R.h` is arity 0 until called: `R.h(V.X)`. `R.h(...)[w]` gives a weighted
    literal, `R.h / n` the predicate (for relation settings), `R.h(V.X) <=
    body` a rule.
    """

    __slots__ = ("predicate", "functions", "terms", "negated")

    def __init__(
        self,
        predicate: Predicate,
        terms: Any = None,
        function: Function | Sequence[Function] | None = None,
        negated: bool = False,
    ):
        self.predicate = predicate
        if function is None:
            self.functions: tuple[Function, ...] = ()
        elif isinstance(function, Function):
            self.functions = (function,)
        else:
            self.functions = tuple(function)
        self.negated = negated
        self.terms: list[Any] = []

        if not isinstance(terms, Iterable) or isinstance(terms, str):
            terms = [terms]
        for term in terms:
            if term is None:
                continue
            if isinstance(term, list):
                self.terms.extend(term)
            else:
                self.terms.append(term)

    @property
    def function(self) -> Function | None:
        """The outermost attached function (PyNeuraLogic keeps only one)."""
        return self.functions[-1] if self.functions else None

    def __neg__(self) -> "BaseRelation":
        """`-R.b(V.X)`: `reverse(b(X))`, the value 1 - b."""
        return self.attach_activation_function(Transformation.REVERSE)

    def __invert__(self) -> "BaseRelation":
        """`~R.b(V.X)`: `!*b(X)`, negation as failure."""
        if self.functions:
            raise ValueError(f"Cannot negate relation {self} with attached function.")
        predicate = Predicate(self.predicate.name, self.predicate.arity, True, self.predicate.special)
        return BaseRelation(predicate, self.terms, None, not self.negated)

    @property
    def T(self) -> "BaseRelation":
        """`R.k(V.J).T`: `k(J)^T`, the transposed value."""
        return self.attach_activation_function(Transformation.TRANSP)

    def attach_activation_function(self, function: Function) -> "BaseRelation":
        """A copy with `function` applied on top of the functions already
        attached."""
        if self.negated:
            raise ValueError(f"Cannot attach function to negated relation {self}")
        relation = self.__copy__()
        relation.functions = self.functions + (function,)
        return relation

    def __truediv__(self, other: int) -> Predicate:
        """`R.h / 2`: the predicate h/2 (for `| [...]` relation settings)."""
        if not isinstance(other, int) or self.predicate.arity != 0 or other < 0:
            raise TypeError(f"Invalid arity operand for {self}: {other!r}")
        name, hidden, special = self.predicate.name, self.predicate.hidden, self.predicate.special
        return AtomFactory.get_predicate(name, other, hidden, special)

    def __call__(self, *args: Any) -> "BaseRelation":
        if self.terms:
            raise ValueError("Cannot assign terms twice to a relation")
        if len(args) == 1 and isinstance(args[0], Iterable) and not isinstance(args[0], str):
            terms = list(args[0])
        else:
            terms = list(args)
        relation = BaseRelation(self.predicate, terms, self.functions, self.negated)
        name, hidden, special = self.predicate.name, self.predicate.hidden, self.predicate.special
        relation.predicate = AtomFactory.get_predicate(name, len(relation.terms), hidden, special)
        return relation

    def __getitem__(self, item: Any) -> "WeightedRelation":
        if self.predicate.hidden or self.predicate.special:
            raise ValueError(f"Special/Hidden relation {self} cannot have learnable parameters.")
        return WeightedRelation(item, self.predicate, False, self.terms, self.functions)

    def __le__(self, other: Any) -> "Rule":
        return Rule(self, other)

    def atom_str(self) -> str:
        """The predicate and terms only: `*@leq(J, I)`."""
        if self.terms:
            return f"{self.predicate.to_str()}({', '.join(_term_text(t) for t in self.terms)})"
        return self.predicate.to_str()

    def to_str(self, end: bool = False) -> str:
        """The literal's text (with `.` when `end`)."""
        suffix = "." if end else ""
        if self.negated:
            return f"!{self.atom_str()}{suffix}"
        return f"{_apply_functions(self.atom_str(), self.functions)}{suffix}"

    def __str__(self) -> str:
        return self.to_str(True)

    def __repr__(self) -> str:
        return self.__str__()

    def __copy__(self) -> "BaseRelation":
        relation = BaseRelation.__new__(BaseRelation)
        relation.functions = self.functions
        relation.terms = self.terms
        relation.predicate = self.predicate
        relation.negated = self.negated
        return relation

    def __and__(self, other: Any) -> "RuleBody":
        if isinstance(other, (BaseRelation, FContainer)):
            return RuleBody(self, other)
        raise TypeError(f"Cannot combine {type(self).__name__} with {type(other).__name__}")

    def __add__(self, other: Any) -> FContainer:
        return FContainer((self, other), Combination.SUM)

    def __mul__(self, other: Any) -> FContainer:
        return FContainer((self, other), Combination.ELPRODUCT)

    def __matmul__(self, other: Any) -> FContainer:
        return FContainer((self, other), Combination.PRODUCT)


def _weight_value_text(weight: Any) -> str:
    if isinstance(weight, tuple):
        return f"{{{', '.join(str(w) for w in weight)}}}"
    return str(weight)


class WeightedRelation(BaseRelation):
    """A literal with a weight in front: `R.h(V.X)[...]`.

    - `[2, 3]` (a tuple): the shape `{2, 3}`, learnable, initialised later;
    - `[0.5]`, `[[1, 0]]`, `[[[1, 0], [0, 1]]]`, a numpy array: a value;
    - `["w": ...]`: the named weight `$w=...`, shared by every literal that
      names it;
    - `.fixed()`: a fixed value `<...>`.

    On a rule head, the weight is the rule's head weight; in a body, it
    weighs the literal's value; on a fact, it is the fact's value.
    """

    __slots__ = ("weight", "weight_name", "is_fixed")

    def __init__(
        self,
        weight: Any,
        predicate: Predicate,
        fixed: bool = False,
        terms: Any = None,
        function: Function | Sequence[Function] | None = None,
    ):
        super().__init__(predicate, terms, function, False)
        self.weight = weight
        self.weight_name = None
        self.is_fixed = fixed

        if isinstance(weight, slice):
            self.weight_name = str(weight.start)
            self.weight = weight.stop
        elif isinstance(weight, tuple) and weight and isinstance(weight[0], slice):
            self.weight_name = str(weight[0].start)
            self.weight = (weight[0].stop, *weight[1:])

        if hasattr(self.weight, "tolist") and not isinstance(self.weight, (int, float)):
            self.weight = self.weight.tolist()  # numpy arrays and scalars

        if isinstance(self.weight, tuple) and not all(
            isinstance(d, Integral) and not isinstance(d, bool) for d in self.weight
        ):
            raise ValueError(
                f"A weight's shape is integers ({self.weight!r} given); a value is a list: "
                f"R.h[[[1, 2], [3, 4]]] for a matrix"
            )

    def fixed(self) -> "WeightedRelation":
        """The same literal with its weight fixed (not learned)."""
        if self.is_fixed:
            raise ValueError(f"Weighted relation {self} is already fixed")
        relation = WeightedRelation(self.weight, self.predicate, True, self.terms, self.functions)
        relation.weight_name = self.weight_name
        return relation

    def weight_str(self) -> str:
        """The weight as written before the literal: `{2, 3}`, `0.5`,
        `$w=[1, 0]`, `<0.5>`, `$w=<0.5>`."""
        value = _weight_value_text(self.weight)
        if self.is_fixed:
            value = f"<{value}>"
        if self.weight_name:
            value = f"${self.weight_name}={value}"
        return value

    def to_str(self, end: bool = False) -> str:
        return f"{self.weight_str()} {super().to_str(end)}"

    def __str__(self) -> str:
        return self.to_str(True)

    def __repr__(self) -> str:
        return self.__str__()

    def __call__(self, *args: Any) -> BaseRelation:
        raise TypeError(f"Cannot assign terms to weighted relation {self.predicate}")

    def __getitem__(self, item: Any) -> "WeightedRelation":
        raise TypeError(f"Cannot assign weight to weighted relation {self.predicate}")

    def attach_activation_function(self, function: Function) -> "WeightedRelation":
        raise TypeError(
            f"Cannot attach a function to weighted relation {self}. Attach the function before adding weights."
        )

    @property
    def T(self) -> "WeightedRelation":
        raise TypeError(f"Cannot transpose weighted relation {self}. Apply the transposition before adding weights.")

    def __invert__(self) -> "WeightedRelation":
        raise TypeError(f"Weighted relations ({self}) cannot be negated.")

    def __neg__(self) -> "WeightedRelation":
        raise TypeError(f"Cannot negate weighted relation {self}. Apply the reverse function before adding weights.")

    def __copy__(self) -> "WeightedRelation":
        relation = WeightedRelation.__new__(WeightedRelation)
        relation.predicate = self.predicate
        relation.functions = self.functions
        relation.terms = self.terms
        relation.weight = self.weight
        relation.weight_name = self.weight_name
        relation.is_fixed = self.is_fixed
        relation.negated = self.negated
        return relation


# ===----------------------------------------------------------------------===
# Rules
# ===----------------------------------------------------------------------===

BodyItem = Union[BaseRelation, FContainer]


class RuleBody:
    """A conjunction built with `&`: `R.a(V.X) & R.b(V.X)`; `| [...]` on it
    sets the metadata of the rule it becomes the body of."""

    __slots__ = ("literals", "metadata")

    def __init__(self, lit1: BodyItem, lit2: BodyItem):
        self.literals: list[BodyItem] = [lit1, lit2]
        self.metadata: Metadata | None = None

    def __and__(self, other: BodyItem) -> "RuleBody":
        if isinstance(other, (BaseRelation, FContainer)):
            self.literals.append(other)
            return self
        raise TypeError(f"Cannot combine RuleBody with {type(other).__name__}")

    def __str__(self) -> str:
        return ", ".join(atom.to_str() for atom in self.literals)

    def __repr__(self) -> str:
        return self.__str__()

    def __or__(self, other: Iterable | Metadata) -> "RuleBody":
        self.metadata = Metadata.coerce(other)
        return self


class Rule:
    """`head <= body`: `head :- body. [metadata]`.

    The body is a literal, a list/tuple of literals, a `RuleBody` (`&`) or an
    expression (`FContainer`); `rule | [...]` (or `| Metadata(...)`) sets the
    rule's metadata. `str(rule)` is the text nlogic reads: one line, or, for a
    nested body expression, the auxiliary relations and rules before it (see
    the module's docstring).
    """

    __slots__ = ("head", "body", "metadata")

    def __init__(self, head: BaseRelation, body: Any):
        self.head = head
        self.metadata: Metadata | None = None

        if head.functions:
            raise TypeError(f"Rule head {head} cannot have a function attached")

        if isinstance(body, RuleBody):
            if body.metadata is not None:
                self._set_metadata(body.metadata)
            body = body.literals

        if isinstance(body, FContainer):
            self.body: list[BodyItem] | FContainer = body
        elif isinstance(body, Iterable) and not isinstance(body, str):
            self.body = list(body)
        else:
            self.body = [body]
        if isinstance(self.body, list) and not self.body:
            raise ValueError(f"Rule {head.to_str()} has an empty body")

    def _contains_function_container(self) -> bool:
        return isinstance(self.body, FContainer) or any(isinstance(lit, FContainer) for lit in self.body)

    def to_str(self, _: bool = False) -> str:
        return str(self)

    def __str__(self) -> str:
        return "\n".join(render_statement(self, RenderContext.for_entries([self])))

    def __repr__(self) -> str:
        return self.to_str()

    def __and__(self, other: Iterable[BodyItem] | BodyItem) -> "Rule":
        if isinstance(self.body, FContainer):
            self.body = [self.body]
        if isinstance(other, Iterable) and not isinstance(other, FContainer):
            self.body.extend(list(other))
        else:
            self.body.append(other)
        return self

    def __or__(self, other: Iterable | Metadata) -> "Rule":
        self._set_metadata(Metadata.coerce(other))
        return self

    def _set_metadata(self, metadata: Metadata) -> None:
        if metadata.aggregation is not None and metadata.aggregation.rule_head_dependant():
            metadata = metadata.copy()
            metadata.aggregation = metadata.aggregation.process_head(self.head)
        self.metadata = metadata


# ===----------------------------------------------------------------------===
# Rendering: statements as the text nlogic's importer reads
# ===----------------------------------------------------------------------===


def _walk_relations(entry: Any):
    """Every relation (head, literals, leaves of expressions) in an entry."""
    if isinstance(entry, BaseRelation):
        yield entry
    elif isinstance(entry, FContainer):
        for node in entry.nodes:
            yield from _walk_relations(node)
    elif isinstance(entry, Rule):
        yield entry.head
        body = entry.body if isinstance(entry.body, list) else [entry.body]
        for item in body:
            yield from _walk_relations(item)


class RenderContext:
    """Names in use while writing a template, so that auxiliary relations
    (`<head>__f<k>`) get fresh ones."""

    def __init__(self, used_names: Iterable[str] = ()):
        self.used: set[str] = set(used_names)

    @staticmethod
    def for_entries(entries: Iterable[Any]) -> "RenderContext":
        names = set()
        for entry in entries:
            if isinstance(entry, PredicateMetadata):
                names.add(entry.predicate.name)
            for relation in _walk_relations(entry):
                names.add(relation.predicate.name)
        return RenderContext(names)

    def fresh(self, base: str) -> str:
        k = 1
        while f"{base}__f{k}" in self.used:
            k += 1
        name = f"{base}__f{k}"
        self.used.add(name)
        return name

    def copy(self) -> "RenderContext":
        return RenderContext(self.used)


def check_importable(entry: Any) -> None:
    """Raises ValueError for what nlogic's importer has no form for: typed
    terms (`atom:X`) and `...` outside `@alldiff`."""
    for relation in _walk_relations(entry):
        for term in relation.terms:
            if _is_typed(term):
                raise ValueError(
                    f"nlogic does not support typed terms ({term} in {relation.to_str()}): "
                    f"its importer has no typed-term syntax"
                )
            if term is Ellipsis and not (relation.predicate.special and relation.predicate.name == "alldiff"):
                raise ValueError(f"'...' is only allowed in @alldiff, not in {relation.to_str()}")


def render_statement(entry: Any, ctx: RenderContext) -> list[str]:
    """The text lines of one template entry: a rule (with its auxiliary
    statements), a fact (valued or not), or relation settings."""
    if isinstance(entry, Rule):
        return _render_rule(entry, ctx)
    if isinstance(entry, PredicateMetadata):
        return [str(entry)]
    if isinstance(entry, BaseRelation):
        return [entry.to_str(True)]
    if isinstance(entry, Predicate):
        raise TypeError(f"A bare predicate ({entry}) is not a statement; give it settings: `R.h / 1 | [...]`")
    raise TypeError(f"Cannot write {type(entry).__name__} {entry!r} as a template statement")


class _Lowered:
    """A body node written as one literal: its text, whether it is a plain
    atom (so `^T` applies to it directly), whether a weight is in front
    (so it cannot be wrapped), and its variables in order."""

    __slots__ = ("text", "plain", "weighted", "variables")

    def __init__(self, text: str, plain: bool, weighted: bool, variables: list[str]):
        self.text = text
        self.plain = plain
        self.weighted = weighted
        self.variables = variables


def _join_only(relation: BaseRelation) -> bool:
    """Literals that take part in the join but give the rule no value."""
    return relation.negated or relation.predicate.special or relation.predicate.hidden


def _wrappable(function: Function) -> bool:
    """Whether `function(literal)` is a form nlogic reads: transformations
    without arguments."""
    return isinstance(function, TransformationFunction) and not function.is_parametrized()


class _RuleWriter:
    """Writes one rule, lowering body expressions to auxiliary rules."""

    def __init__(self, rule: Rule, ctx: RenderContext, rename_anonymous: bool):
        self.rule = rule
        self.ctx = ctx
        self.rename_anonymous = rename_anonymous
        self.aux_lines: list[str] = []
        self.created_aux = False
        self.learnable = None if rule.metadata is None else rule.metadata.learnable

        relations = list(_walk_relations(rule))
        self.has_anonymous = any(_is_anonymous(t) for r in relations for t in r.terms)
        self.used_variables = {v for r in relations for t in r.terms if (v := _variable_name(t)) is not None}
        self.anonymous_counter = 0
        # Every named variable of the rule, for `@alldiff(...)`.
        self.rule_variables: list[str] = []
        for relation in relations:
            for term in relation.terms:
                name = _variable_name(term)
                if name is not None and name[0].isupper() and name not in self.rule_variables:
                    self.rule_variables.append(name)

    # -- terms and atoms ----------------------------------------------------

    def fresh_anonymous(self) -> str:
        while True:
            self.anonymous_counter += 1
            name = f"_A{self.anonymous_counter}"
            if name not in self.used_variables:
                self.used_variables.add(name)
                return name

    def atom(self, relation: BaseRelation) -> tuple[str, list[str]]:
        """The atom's text (predicate and terms) and its variables."""
        terms: list[str] = []
        source = list(relation.terms)
        if relation.predicate.special and relation.predicate.name == "alldiff" and Ellipsis in source:
            explicit = [t for t in source if t is not Ellipsis]
            names = [_term_text(t) for t in explicit]
            source = explicit + [v for v in self.rule_variables if v not in names]
        for term in source:
            if self.rename_anonymous and _is_anonymous(term):
                terms.append(self.fresh_anonymous())
            else:
                terms.append(_term_text(term))
        variables: list[str] = []
        for text in terms:
            name = _variable_name(text)
            if name is not None and name != "_" and name not in variables:
                variables.append(name)
        text = relation.predicate.to_str()
        if terms:
            text += f"({', '.join(terms)})"
        return text, variables

    def literal(self, relation: BaseRelation) -> str:
        """A literal written as it is (heads and join-only literals)."""
        text, _ = self.atom(relation)
        if relation.negated:
            text = f"!{text}"
        else:
            text = _apply_functions(text, relation.functions)
        if isinstance(relation, WeightedRelation):
            text = f"{relation.weight_str()} {text}"
        return text

    # -- lowering -------------------------------------------------------------

    def aux(
        self,
        children: list[_Lowered],
        transformation: Function | None = None,
        combination: Function | None = None,
    ) -> _Lowered:
        """An auxiliary relation whose value is `children` combined and
        transformed; returns its atom."""
        self.created_aux = True
        variables: list[str] = []
        for child in children:
            for v in child.variables:
                if v not in variables:
                    variables.append(v)
        name = self.ctx.fresh(self.rule.head.predicate.name)
        head = f"{name}({', '.join(variables)})" if variables else name
        metadata = Metadata(
            learnable=False if self.learnable is False else None,
            transformation=transformation if transformation is not None else Transformation.IDENTITY,
            combination=combination if combination is not None else Combination.SUM,
            aggregation=Aggregation.SUM,
        )
        self.aux_lines.append(f"{name}/{len(variables)} [transformation=identity, combination=sum]")
        self.aux_lines.append(f"{head} :- {', '.join(c.text for c in children)}. {metadata}")
        return _Lowered(head, plain=True, weighted=False, variables=variables)

    def transform(self, function: Function, child: _Lowered) -> _Lowered:
        if child.weighted or not _wrappable(function):
            return self.aux([child], transformation=function)
        if _is_transposition(function) and child.plain:
            return _Lowered(f"{child.text}^T", plain=False, weighted=False, variables=child.variables)
        return _Lowered(function.wrap(child.text), plain=False, weighted=False, variables=child.variables)

    def lower_relation(self, relation: BaseRelation) -> _Lowered:
        text, variables = self.atom(relation)
        lowered = _Lowered(text, plain=True, weighted=False, variables=variables)
        for function in relation.functions:
            lowered = self.transform(function, lowered)
        if isinstance(relation, WeightedRelation):
            lowered = _Lowered(
                f"{relation.weight_str()} {lowered.text}", plain=False, weighted=True, variables=lowered.variables
            )
        return lowered

    def lower(self, node: Any, hoisted: list[str]) -> _Lowered | None:
        """A body node as one value-giving literal (None when it gives no
        value); join-only literals inside it go to `hoisted`."""
        if isinstance(node, BaseRelation):
            if _join_only(node):
                hoisted.append(self.literal(node))
                return None
            return self.lower_relation(node)
        if isinstance(node, FContainer):
            function = node.function
            children = [c for c in (self.lower(n, hoisted) for n in node.nodes) if c is not None]
            if not children:
                return None
            if isinstance(function, TransformationFunction):
                if len(children) != 1:
                    raise ValueError(
                        f"The transformation {function} applies to one value, not {len(children)} ({node})"
                    )
                return self.transform(function, children[0])
            if isinstance(function, CombinationFunction):
                return self.aux(children, combination=function)
            raise TypeError(f"The aggregation {function} cannot be used inside a rule body ({node})")
        raise TypeError(f"{node!r} of type {type(node).__name__} cannot be in a rule body")

    def write(self) -> list[str]:
        rule = self.rule
        metadata = rule.metadata.copy() if rule.metadata is not None else Metadata()

        if isinstance(rule.body, FContainer):
            top: FContainer | None = rule.body
        elif any(isinstance(item, FContainer) for item in rule.body):
            # A list with expressions is combined by the rule's combination.
            combination = metadata.combination if metadata.combination is not None else Combination.SUM
            top = FContainer(rule.body, combination)
        else:
            top = None

        if top is None:
            nodes = list(rule.body)
        elif isinstance(top.function, CombinationFunction):
            # The top function is the rule's combination (PyNeuraLogic's
            # reading of a flat expression, too).
            nodes = list(top.nodes)
            metadata.combination = top.function
        elif isinstance(top.function, TransformationFunction):
            # The expression replaces the combination: the rule combines one value.
            nodes = [top]
            metadata.combination = None
        else:
            raise TypeError(f"The aggregation {top.function} cannot be used as a rule body")

        body: list[str] = []
        for node in nodes:
            if isinstance(node, BaseRelation) and _join_only(node):
                body.append(self.literal(node))
                continue
            hoisted: list[str] = []
            lowered = self.lower(node, hoisted)
            if lowered is not None:
                body.append(lowered.text)
            body.extend(hoisted)

        line = f"{self.literal(rule.head)} :- {', '.join(body)}."
        if not metadata.is_empty():
            line += f" {metadata}"
        return self.aux_lines + [line]


def _render_rule(rule: Rule, ctx: RenderContext) -> list[str]:
    writer = _RuleWriter(rule, ctx.copy(), rename_anonymous=False)
    lines = writer.write()
    if writer.created_aux and writer.has_anonymous:
        # `_` moved into an auxiliary rule must become a named variable (its
        # head names it); each occurrence a distinct one, as `_` is.
        writer = _RuleWriter(rule, ctx.copy(), rename_anonymous=True)
        lines = writer.write()
    ctx.used |= writer.ctx.used
    return lines


# ===----------------------------------------------------------------------===
# Factories: R, V, C
# ===----------------------------------------------------------------------===


def _not_a_name(item: str) -> bool:
    return item.startswith("__") and item.endswith("__")


_KEYWORD_ERROR = (
    "Cannot add terms to not fully initialized relation - 'special' and 'hidden' are keywords, "
    "that cannot be used as a predicate name with dot notation (use `get` method instead)"
)


class SpecialPredicateFactory:
    """`R.special.<name>`: builtin predicates, printed `@name(...)`.

    nlogic's importer reads `@leq`, `@lt`, `@geq`, `@gt`, `@eq`, `@neq`,
    `@next`, `@alldiff`, `@add`, `@sub`, `@mod` (and `@mul`, `@div` through
    `R.special.mul(...)`), `@true`; it rejects `@maxcard`, `@in`, `@anypred`
    and the `*_eval` builtins with a diagnostic.
    """

    def __init__(self, hidden: bool = False):
        self.is_hidden = hidden

    def _make(self, name: str, terms: Any = None) -> BaseRelation:
        arity = 0 if terms is None else len(terms)
        return BaseRelation(Predicate(name, arity, self.is_hidden, True), terms)

    @property
    def hidden(self) -> "SpecialPredicateFactory":
        """`R.special.hidden.leq(...)`: `*@leq(...)`."""
        return SpecialPredicateFactory(True)

    def alldiff(self, *args: Any) -> BaseRelation:
        """`@alldiff(A, B, ...)`; `R.special.alldiff(...)` (an Ellipsis) means
        every variable of the rule."""
        return self._make("alldiff", list(args))

    def neq(self, a: Any, b: Any) -> BaseRelation:
        return self._make("neq", [a, b])

    def eq(self, a: Any, b: Any) -> BaseRelation:
        return self._make("eq", [a, b])

    def leq(self, a: Any, b: Any) -> BaseRelation:
        return self._make("leq", [a, b])

    def lt(self, a: Any, b: Any) -> BaseRelation:
        return self._make("lt", [a, b])

    def geq(self, a: Any, b: Any) -> BaseRelation:
        return self._make("geq", [a, b])

    def gt(self, a: Any, b: Any) -> BaseRelation:
        return self._make("gt", [a, b])

    def next(self, a: Any, b: Any) -> BaseRelation:
        """`@next(A, B)`: B = A + 1."""
        return self._make("next", [a, b])

    def maxcard(self, *args: Any) -> BaseRelation:
        return self._make("maxcard", list(args))

    def _in(self, *args: Any) -> BaseRelation:
        return self._make("in", list(args))

    def anypred(self) -> BaseRelation:
        return self._make("anypred")

    def truepred(self) -> BaseRelation:
        """Always true: `@true` (the name nlogic's importer reads; PyNeuraLogic
        prints `@truepred`)."""
        return self._make("true")

    def add(self, a: Any, b: Any, c: Any) -> BaseRelation:
        """`@add(A, B, C)`: C = A + B."""
        return self._make("add", [a, b, c])

    def sub(self, a: Any, b: Any, c: Any) -> BaseRelation:
        """`@sub(A, B, C)`: C = A - B."""
        return self._make("sub", [a, b, c])

    def mod(self, a: Any, b: Any, c: Any) -> BaseRelation:
        """`@mod(A, B, C)`: C = A mod B."""
        return self._make("mod", [a, b, c])

    def add_eval(self, a: Any, b: Any) -> BaseRelation:
        return self._make("add_eval", [a, b])

    def sub_eval(self, a: Any, b: Any) -> BaseRelation:
        return self._make("sub_eval", [a, b])

    def mod_eval(self, a: Any, b: Any) -> BaseRelation:
        return self._make("mod_eval", [a, b])

    def mul_eval(self, a: Any, b: Any) -> BaseRelation:
        return self._make("mul_eval", [a, b])

    def div_eval(self, a: Any, b: Any) -> BaseRelation:
        return self._make("div_eval", [a, b])

    def max_eval(self, a: Any, b: Any) -> BaseRelation:
        return self._make("max_eval", [a, b])

    def min_eval(self, a: Any, b: Any) -> BaseRelation:
        return self._make("min_eval", [a, b])

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(_KEYWORD_ERROR)

    def __getitem__(self, item: Any) -> Any:
        raise TypeError(_KEYWORD_ERROR)

    def __getattr__(self, item: str) -> BaseRelation:
        if _not_a_name(item):
            raise AttributeError(item)
        return self._make(item)

    def get(self, name: str) -> BaseRelation:
        """`R.special.get("mul")`: the builtin `@mul`, arity 0 until called."""
        return self._make(name)


class HiddenPredicateFactory:
    """`R.hidden.<name>`: hidden relations, printed `*name(...)`."""

    @property
    def special(self) -> SpecialPredicateFactory:
        return SpecialPredicateFactory(hidden=True)

    def __getattr__(self, item: str) -> BaseRelation:
        if _not_a_name(item):
            raise AttributeError(item)
        return BaseRelation(Predicate(item, 0, True, False))

    def get(self, name: str) -> BaseRelation:
        return BaseRelation(Predicate(name, 0, True, False))

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        raise TypeError(_KEYWORD_ERROR)

    def __getitem__(self, item: Any) -> Any:
        raise TypeError(_KEYWORD_ERROR)


class AtomFactory:
    """`R` / `Relation`: `R.h` (any name but `special` and `hidden`), or
    `R.get("h")`; `R.special.*` builtins, `R.hidden.*` hidden relations."""

    def __init__(self):
        self.special = SpecialPredicateFactory()
        self.hidden = HiddenPredicateFactory()

    def get(self, name: str) -> BaseRelation:
        return BaseRelation(Predicate(name, 0, False, False))

    def __getattr__(self, item: str) -> BaseRelation:
        if _not_a_name(item):
            raise AttributeError(item)
        return BaseRelation(Predicate(item, 0, False, False))

    @staticmethod
    def get_predicate(name: str, arity: int, hidden: bool, special: bool) -> Predicate:
        return Predicate(name, arity, hidden, special)


class VariableFactory:
    """`V` / `Var`: `V.x` is the variable `X` (the name `str.capitalize()`d,
    as PyNeuraLogic does: `V.ab` and `V.AB` are both `Ab`); `V.get("x",
    "type")` a typed one."""

    def __getattr__(self, item: str) -> Variable:
        if _not_a_name(item):
            raise AttributeError(item)
        return self.get(item)

    def get(self, item: str, var_type: str | None = None) -> Variable:
        return Variable(item.capitalize(), var_type)


class ConstantFactory:
    """`C` / `Const`: `C.a` is the constant `a` (the name lower-cased)."""

    def __getattr__(self, item: str) -> Constant:
        if _not_a_name(item):
            raise AttributeError(item)
        return self.get(item)

    def get(self, item: str, const_type: str | None = None) -> Constant:
        return Constant(item.lower(), const_type)


Var = VariableFactory()
Relation = AtomFactory()
Const = ConstantFactory()

V = Var
C = Const
R = Relation
