"""Heterogeneous-graph modules (PyNeuraLogic 0.9.2's
`neuralogic.nn.module.meta.{meta,magnn}`), rule for rule."""

from ..functions import Aggregation, AggregationFunction, Transformation, TransformationFunction
from ..language import R, V
from ..metadata import Metadata
from .base import Module
from .conv import Conv, typed_edges

__all__ = ["MetaConv", "MAGNNMean", "MAGNNLinear"]


class MetaConv(Conv):
    """Metagraph convolution (Meta-GNN):
    `x'_i = act(W_0 x_i + agg_r sum_{j in N_r(i)} W_r x_j)`, per role r the
    relation `<output>__roles(I, r)` (from `<role>(J, r, I)`, or `r(J, I)`
    when `role_name` is None; one weight per role rule):

        <output>(I) :- <output>__roles(I, R). [aggregation=<aggregation>]
        <output>(I) :- {out, in} <feature>(I). [aggregation=<aggregation>]
        <output>__roles(I, r) :- {out, in} <feature>(J), <role>(J, r, I).
        <output>/1 [transformation=<activation>]
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        output_name: str,
        feature_name: str,
        role_name: str | None,
        roles: list[str],
        activation: TransformationFunction = Transformation.SIGMOID,
        aggregation: AggregationFunction = Aggregation.AVG,
    ):
        self._keep(locals())

    def __call__(self):
        head = self._output()
        role_head = R.get(f"{self.output_name}__roles")
        metadata = self._aggregated()
        neighbour = self._feature(V.J, weighted=True)
        roles = zip(self.roles, typed_edges(self.role_name, self.roles, hidden=False))
        return [
            (head <= role_head(V.I, V.R)) | metadata,
            (head <= self._feature(V.I, weighted=True)) | metadata,
            *[role_head(V.I, role) <= (neighbour, edge) for role, edge in roles],
            self._output_setting(),
        ]


class MAGNNMean(Module):
    """MAGNN's intra-metapath aggregation with the mean encoder: for every
    instance V0 - V1 - ... of the metapath (`<relation>(Vk, Vk+1)`, the
    types `t(Vk)`, or `<type>(Vk, t)` with `type_name`), the mean of its
    nodes' features, summed over the instances (one grounding each):

        <output>(V0) :- <relation>(V0, V1), a(V0), b(V1), <0.5> <feature>(V0),
            <0.5> <feature>(V1). [duplicit_grounding=true]
        <output>/1 [transformation=<activation>]

    (PyNeuraLogic prints `duplicate_grounding=True`. `aggregation` is
    accepted and unused, as in PyNeuraLogic.)
    """

    def __init__(
        self,
        output_name: str,
        feature_name: str,
        relation_name: str,
        type_name: str | None,
        meta_paths: list[str],
        activation: TransformationFunction = Transformation.SIGMOID,
        aggregation: AggregationFunction = Aggregation.SUM,
    ):
        self._keep(locals())

    def _head(self):
        return R.get(self.output_name)(V.V0)

    def __call__(self):
        length = len(self.meta_paths)
        feature = R.get(self.feature_name)
        relation = R.get(self.relation_name)

        body = [relation(f"V{index}", f"V{index + 1}") for index in range(length - 1)]
        if self.type_name is None:
            body.extend(R.get(type_)(f"V{index}") for index, type_ in enumerate(self.meta_paths))
        else:
            type_relation = R.get(self.type_name)
            body.extend(type_relation(f"V{index}", type_) for index, type_ in enumerate(self.meta_paths))
        if length == 0:
            body.extend(feature(f"V{index}") for index in range(length))
        else:
            body.extend(feature(f"V{index}")[1 / length].fixed() for index in range(length))

        return [
            (self._head() <= body) | Metadata(duplicate_grounding=True),
            self._output_setting(),
        ]


class MAGNNLinear(MAGNNMean):
    """`MAGNNMean` with a linear encoder: the metapath rule has the head
    weight {out_channels, in_channels}."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        output_name: str,
        feature_name: str,
        relation_name: str,
        type_name: str | None,
        meta_paths: list[str],
        activation: TransformationFunction = Transformation.SIGMOID,
        aggregation: AggregationFunction = Aggregation.SUM,
    ):
        self._keep(locals())

    def _head(self):
        return R.get(self.output_name)(V.V0)[self._weight]
