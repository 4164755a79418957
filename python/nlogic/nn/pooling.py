"""Pooling over all groundings of a relation (PyNeuraLogic 0.9.2's
`neuralogic.nn.module.general.pooling`)."""

from ..functions import Aggregation, AggregationFunction
from ..language import R
from ..metadata import Metadata
from .base import Module, terms

__all__ = ["Pooling", "MaxPooling", "AvgPooling", "SumPooling"]


class Pooling(Module):
    """`h = agg over (X0..Xn-1) of x(X0..Xn-1)`, an arity-0 output:

        <output> :- <input>(X0). [aggregation=<aggregation>]
    """

    def __init__(self, output_name: str, input_name: str, aggregation: AggregationFunction, input_arity: int = 1):
        self._keep(locals())

    def __call__(self):
        body = R.get(self.input_name)(terms(self.input_arity))
        return [(R.get(self.output_name) <= body) | Metadata(aggregation=self.aggregation)]


class MaxPooling(Pooling):
    """`Pooling` with `aggregation=max`."""

    def __init__(self, output_name: str, input_name: str, input_arity: int = 1):
        super().__init__(output_name, input_name, Aggregation.MAX, input_arity)


class AvgPooling(Pooling):
    """`Pooling` with `aggregation=avg`."""

    def __init__(self, output_name: str, input_name: str, input_arity: int = 1):
        super().__init__(output_name, input_name, Aggregation.AVG, input_arity)


class SumPooling(Pooling):
    """`Pooling` with `aggregation=sum`."""

    def __init__(self, output_name: str, input_name: str, input_arity: int = 1):
        super().__init__(output_name, input_name, Aggregation.SUM, input_arity)
