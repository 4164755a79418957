"""Dense layers: `Linear` and `MLP` (PyNeuraLogic 0.9.2's
`neuralogic.nn.module.general.{linear,mlp}`), rule for rule."""

from collections.abc import Sequence

from ..functions import Transformation, TransformationFunction
from ..language import R
from ..metadata import Metadata
from .base import Module, terms

__all__ = ["Linear", "MLP"]


class Linear(Module):
    """`h(X0..Xn-1) = act(W x(X0..Xn-1))`, W of shape (out_channels,
    in_channels) as the rule's head weight:

        {out, in} <output>(X0) :- <input>(X0).
        <output>/1 [transformation=<activation>]
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        output_name: str,
        input_name: str,
        activation: TransformationFunction = Transformation.IDENTITY,
        arity: int = 1,
    ):
        self._keep(locals())

    def __call__(self):
        variables = terms(self.arity)
        return [
            R.get(self.output_name)(variables)[self._weight] <= R.get(self.input_name)(variables),
            self._output_setting(len(variables)),
        ]


class MLP(Module):
    """A chain of dense layers over `units` (sizes, input first), written as
    PyNeuraLogic writes it: two layers per rule, one as the body literal's
    weight and one as the head weight, the intermediate relations named
    `<output>__mlp<k>`, the last one `<output>`:

        MLP([2, 3, 4], "h", "x")  ->  {4, 3} h(X0) :- {3, 2} x(X0). [transformation=relu]
                                      h/1 [transformation=relu]

    The first activation of each pair is the rule's transformation (after
    the body weight), the second the relation's (after the head weight).
    `activation` is one function for every layer, or a list, padded with
    no setting (`[]`) where it is short. (PyNeuraLogic raises IndexError
    when the list is as long as the number of layers and that number is odd;
    here the last relation then gets no setting.)
    """

    def __init__(
        self,
        units: list[int],
        output_name: str,
        input_name: str,
        activation: TransformationFunction | list[TransformationFunction] = Transformation.RELU,
        arity: int = 1,
    ):
        self._keep(locals())

    def __call__(self):
        if len(self.units) < 2:
            raise ValueError(f"MLP needs at least two sizes (input and output), got {self.units}")
        variables = terms(self.arity)
        iters = len(self.units) - 1

        if isinstance(self.activation, Sequence):
            metadata = [Metadata(transformation=act) for act in self.activation]
            metadata.extend(Metadata() for _ in range(iters + 1 - len(metadata)))
        else:
            metadata = [Metadata(transformation=self.activation)] * (iters + 1)

        starts = list(range(0, iters, 2))
        layers = []
        prev_layer = R.get(self.input_name)
        for index in starts:
            in_channels, out_channels = self.units[index], self.units[index + 1]
            last = index == starts[-1]
            head_predicate = R.get(self.output_name if last else f"{self.output_name}__mlp{index // 2}")

            body_literal = prev_layer(variables)[out_channels, in_channels]
            head_literal = head_predicate(variables)
            if index + 2 < len(self.units):
                head_literal = head_literal[self.units[index + 2], self.units[index + 1]]

            layers.append((head_literal <= body_literal) | metadata[index])
            layers.append(head_predicate / self.arity | metadata[index + 1])
            prev_layer = head_predicate
        return layers
