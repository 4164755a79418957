"""Metadata of rules and relations (PyNeuraLogic 0.9.2's
`neuralogic.core.constructs.metadata.Metadata`).

`(head <= body) | [F.product, F.softmax_agg(agg_terms=["J"])]` and
`R.h / 1 | [F.sigmoid]` attach a `Metadata`; it prints as the `[...]` list
that follows a rule or a relation setting in NeuraLogic text:

    learnable=False            -> learnable=false     (fixes the rule's weights)
    transformation=F.sigmoid   -> transformation=sigmoid
    combination=F.product      -> combination=product
    aggregation=F.sum_agg      -> aggregation=sum
    duplicate_grounding=True   -> duplicit_grounding=true

(PyNeuraLogic prints `duplicate_grounding=True`; nlogic's importer reads
NeuraLogic's key, `duplicit_grounding`, with `true`/`false`.)
"""

from collections.abc import Iterable
from typing import Any

from .functions import AggregationFunction, CombinationFunction, Function, TransformationFunction

__all__ = ["Metadata"]


class Metadata:
    """Settings of a rule (all fields) or of a relation (transformation and
    combination only)."""

    __slots__ = ("learnable", "transformation", "aggregation", "duplicate_grounding", "combination")

    def __init__(
        self,
        learnable: bool | None = None,
        transformation: TransformationFunction | CombinationFunction | None = None,
        combination: CombinationFunction | None = None,
        aggregation: AggregationFunction | None = None,
        duplicate_grounding: bool | None = None,
    ):
        self.learnable = learnable
        self.combination = combination
        self.transformation = transformation
        self.aggregation = aggregation
        self.duplicate_grounding = duplicate_grounding

    @staticmethod
    def from_iterable(iterable: Iterable[Any]) -> "Metadata":
        """`[F.product, F.tanh, F.sum_agg]` -> Metadata: each function goes
        to the field of its kind (a later one of the same kind wins)."""
        metadata = Metadata()
        for entry in iterable:
            if callable(entry) and not isinstance(entry, Function):
                entry = entry()
            if isinstance(entry, AggregationFunction):
                metadata.aggregation = entry
            elif isinstance(entry, TransformationFunction):
                metadata.transformation = entry
            elif isinstance(entry, CombinationFunction):
                metadata.combination = entry
            else:
                raise ValueError(f"Invalid entry for metadata: {entry}")
        return metadata

    @staticmethod
    def coerce(value: Any) -> "Metadata":
        """A `Metadata`, or one built from a list of functions."""
        if isinstance(value, Metadata):
            return value
        if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
            return Metadata.from_iterable(value)
        raise TypeError(f"Metadata must be Metadata or a list of functions, got {type(value).__name__}")

    def is_empty(self) -> bool:
        return (
            self.learnable is None
            and self.transformation is None
            and self.combination is None
            and self.aggregation is None
            and self.duplicate_grounding is None
        )

    def __str__(self) -> str:
        entries = []
        if self.learnable is not None:
            entries.append(f"learnable={str(bool(self.learnable)).lower()}")
        if self.transformation is not None:
            entries.append(f"transformation={self.transformation}")
        if self.combination is not None:
            entries.append(f"combination={self.combination}")
        if self.aggregation is not None:
            entries.append(f"aggregation={self.aggregation}")
        if self.duplicate_grounding is not None:
            entries.append(f"duplicit_grounding={str(bool(self.duplicate_grounding)).lower()}")
        return f"[{', '.join(entries)}]"

    def __repr__(self) -> str:
        return self.__str__()

    def combine(self, other: "Metadata") -> "Metadata":
        """This metadata overridden by the fields `other` sets."""

        def pick(field: str) -> Any:
            value = getattr(other, field)
            return value if value is not None else getattr(self, field)

        return Metadata(
            learnable=pick("learnable"),
            transformation=pick("transformation"),
            combination=pick("combination"),
            aggregation=pick("aggregation"),
            duplicate_grounding=pick("duplicate_grounding"),
        )

    def __add__(self, other: "Metadata") -> "Metadata":
        return self.combine(other)

    def copy(self) -> "Metadata":
        return Metadata(
            learnable=self.learnable,
            transformation=self.transformation,
            combination=self.combination,
            aggregation=self.aggregation,
            duplicate_grounding=self.duplicate_grounding,
        )
