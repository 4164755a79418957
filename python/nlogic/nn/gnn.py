"""Graph convolutions over one edge (PyNeuraLogic 0.9.2's
`neuralogic.nn.module.gnn.{gcn,gsage,gin,gine,gatv2,rgcn,res_gated,gen}`),
rule for rule. Node features are `<feature>(I)`, edges `<edge>(J, I)`
(a message flows from J to I).

Modules with self-loops (`GCNConv` and `GATv2Conv` by default) write the
loop as the fact `<1.0> <output>__edge(I, I).`, which nlogic's importer
rejects (a fact cannot contain a variable), and `GCNConv`'s normalization
(`degree_rules`) is an unsafe rule for it; `GATv2Conv(add_self_loops=False)`
and `GCNConv(normalize=False)` import.
"""

from ..functions import (
    Aggregation,
    AggregationFunction,
    Combination,
    Transformation,
    TransformationFunction,
)
from ..language import R, V
from ..metadata import Metadata
from .base import Module
from .conv import Conv, NormalizedConv, typed_edges
from .dense import MLP
from .normalization import normalized_edges

__all__ = [
    "GCNConv",
    "SAGEConv",
    "GINConv",
    "GINEConv",
    "GATv2Conv",
    "RGCNConv",
    "ResGatedGraphConv",
    "GENConv",
]


def _learnable(literal, learnable: bool):
    """`literal`, its weight fixed unless `learnable`."""
    return literal if learnable else literal.fixed()


def _edge(prefix: str, edge_name: str, channels: int, edge_dim: int | None, project: bool) -> tuple[list, object]:
    """`(rules, edge)`: `<edge>`, or when `project` its projection to
    `channels`, `{channels, edge_dim} <prefix>_edge_proj(I, J) :- <edge>(I, J).`"""
    if not project:
        return [], R.get(edge_name)
    edge = R.get(f"{prefix}_edge_proj")
    return [edge(V.I, V.J)[channels, edge_dim] <= R.get(edge_name)(V.I, V.J)], edge


def _messages(prefix: str, x_j, edge, x_i, aggregated_with=(), aggregation=None) -> list:
    """The messages `relu(x_j + e_ji)` of GINE and GEN, aggregated over j
    (`aggregation`, default sum, with the literals `aggregated_with`), plus
    `x_i`:

        <prefix>_feat_sum(I, J) :- x_j, <edge>(J, I). [transformation=relu, combination=sum]
        <prefix>_feat_agg(I) :- <prefix>_feat_sum(I, J), ... [aggregation=sum]
        <prefix>_out(I) :- x_i, <prefix>_feat_agg(I). [combination=sum]
    """
    feat_sum = R.get(f"{prefix}_feat_sum")
    feat_agg = R.get(f"{prefix}_feat_agg")
    if aggregation is None:
        aggregation = Metadata(aggregation=Aggregation.SUM)
    return [
        (feat_sum(V.I, V.J) <= (x_j, edge(V.J, V.I)))
        | Metadata(transformation=Transformation.RELU, combination=Combination.SUM),
        (feat_agg(V.I) <= (feat_sum(V.I, V.J), *aggregated_with)) | aggregation,
        (R.get(f"{prefix}_out")(V.I) <= (x_i, feat_agg(V.I))) | Metadata(combination=Combination.SUM),
    ]


class GCNConv(NormalizedConv):
    """GCN (Kipf & Welling): `x'_i = act(sum_j norm_ij e_ji W x_j)` over
    the edges into i (and a self-loop), `norm_ij = 1/sqrt(deg_i deg_j)`:

        {out, in} <output>(I) :- <feature>(J), <output>__edge(J, I),
            sqrt(<output>__edge_count(J, I)). [combination=product, aggregation=<aggregation>]
        <output>/1 [transformation=<activation>]

    with the rules of `self_loop_rules` (when `add_self_loops`; None means
    `normalize`) and `degree_rules` (when `normalize`). As in PyNeuraLogic,
    with `normalize=False` the rule reads `<edge>` even when self-loops
    are added.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        output_name: str,
        feature_name: str,
        edge_name: str,
        activation: TransformationFunction = Transformation.IDENTITY,
        aggregation: AggregationFunction = Aggregation.SUM,
        add_self_loops: bool | None = None,
        normalize: bool = True,
    ):
        self._keep(locals())

    def __call__(self):
        rules, edge = self._edges()
        if not self.normalize:
            edge = R.get(self.edge_name)  # as PyNeuraLogic: `<edge>` even with self-loops
        body = [self._feature(V.J), *self._hop(edge, V.J, V.I)]
        head = self._output(weighted=True)
        return [*rules, (head <= body) | self._aggregated(combination=Combination.PRODUCT), self._output_setting()]


class SAGEConv(Conv):
    """GraphSAGE: `x'_i = act(W_1 x_i + agg_j W_2 x_j)`, W_1 and W_2 head
    weights of two rules with the same head (the edge hidden: it only
    selects the neighbours):

        {out, in} <output>(I) :- <feature>(J), *<edge>(J, I). [aggregation=<aggregation>]
        {out, in} <output>(I) :- <feature>(I). [aggregation=<aggregation>]
        <output>/1 [transformation=<activation>]
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        output_name: str,
        feature_name: str,
        edge_name: str,
        activation: TransformationFunction = Transformation.IDENTITY,
        aggregation: AggregationFunction = Aggregation.AVG,
    ):
        self._keep(locals())

    def __call__(self):
        head = self._output(weighted=True)
        metadata = self._aggregated()
        return [
            self._neighbours(head, metadata),
            (head <= self._feature(V.I)) | metadata,
            self._output_setting(),
        ]


class GINConv(Conv):
    """GIN, as PyNeuraLogic writes it: the neighbours aggregated under W,
    plus the node's own features (`embed__<output>`) under W W_e:

        {out, in} <output>(I) :- <feature>(J), *<edge>(J, I). [aggregation=<aggregation>]
        embed__<output>(I) :- <feature>(I). [aggregation=<aggregation>]
        {out, in} <output>(I) :- {in, in} embed__<output>(I). [transformation=<activation>]
        <output>/1 [transformation=<activation>]
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        output_name: str,
        feature_name: str,
        edge_name: str,
        activation: TransformationFunction = Transformation.IDENTITY,
        aggregation: AggregationFunction = Aggregation.SUM,
    ):
        self._keep(locals())

    def __call__(self):
        head = self._output(weighted=True)
        embed = R.get(f"embed__{self.output_name}")
        metadata = self._aggregated()
        return [
            self._neighbours(head, metadata),
            (embed(V.I) <= self._feature(V.I)) | metadata,
            (head <= embed(V.I)[self.in_channels, self.in_channels]) | Metadata(transformation=self.activation),
            self._output_setting(),
        ]


class GINEConv(Module):
    """GINE: `nn_i = (1 + eps) x_i + sum_j relu(x_j + e_ji)`, the value the
    network `<nn_name>` reads (`<nn_name>(I)`):

        <nn>__gine_feat_sum(I, J) :- <feature>(J), <edge>(J, I). [transformation=relu, combination=sum]
        <nn>__gine_feat_agg(I) :- <nn>__gine_feat_sum(I, J). [aggregation=sum]
        <nn>__gine_out(I) :- <1 + eps> <feature>(I), <nn>__gine_feat_agg(I). [combination=sum]
        <nn>(I) :- <nn>__gine_out(I).

    `1 + eps` is learned when `train_eps`; with `edge_dim` the edge
    features are first projected to `in_channels` (`<nn>__gine_edge_proj`).
    """

    def __init__(
        self,
        in_channels: int,
        feature_name: str,
        edge_name: str,
        nn_name: str,
        eps: float = 0.0,
        train_eps: bool = False,
        edge_dim: int | None = None,
    ):
        self._keep(locals())

    def __call__(self):
        prefix = f"{self.nn_name}__gine"
        x = R.get(self.feature_name)
        projection, edge = _edge(prefix, self.edge_name, self.in_channels, self.edge_dim, self.edge_dim is not None)
        x_eps = _learnable(x(V.I)[self.eps + 1], self.train_eps)
        return [
            *projection,
            *_messages(prefix, x(V.J), edge, x_eps),
            R.get(self.nn_name)(V.I) <= R.get(f"{prefix}_out")(V.I),
        ]


class GATv2Conv(Conv):
    """GATv2: a score per edge, `a . leakyrelu(W_l x_i + W_r x_j)`,
    normalized by a softmax over the neighbours j of i, weighing `W_r x_j`:

        <output>__score(I, J) :- $<output>__left={out, in} <feature>(I),
            $<output>__right={out, in} <feature>(J), *<output>__edge(J, I).
            [transformation=leakyrelu(<negative_slope>), combination=sum]
        <output>__attention(I, J) :- $<output>__att={1, out} <output>__score(I, J).
            [transformation=identity, aggregation=softmax(agg_terms=[J])]
        <output>(I) :- <output>__attention(I, J), $<output>__right={out, in} <feature>(J),
            *<output>__edge(J, I). [combination=product, aggregation=sum]
        <output>/1 [transformation=<activation>]

    `share_weights` uses `__right` for both projections; with
    `add_self_loops` (the default) the edges are `self_loop_rules`'
    `<output>__edge`, else `<edge>`.
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        output_name: str,
        feature_name: str,
        edge_name: str,
        share_weights: bool = False,
        activation: TransformationFunction = Transformation.IDENTITY,
        add_self_loops: bool = True,
        negative_slope: float = 0.2,
    ):
        self._keep(locals())

    def __call__(self):
        w1 = f"{self.output_name}__right"
        w2 = w1 if self.share_weights else f"{self.output_name}__left"
        feature = R.get(self.feature_name)

        score = R.get(f"{self.output_name}__score")
        attention = R.get(f"{self.output_name}__attention")
        self_loops, edge = normalized_edges(self.output_name, self.edge_name, self.add_self_loops, False, hidden=True)

        return [
            *self_loops,
            (
                score(V.I, V.J)
                <= (
                    feature(V.I)[w2 : self.out_channels, self.in_channels],
                    feature(V.J)[w1 : self.out_channels, self.in_channels],
                    edge(V.J, V.I),
                )
            )
            | Metadata(combination=Combination.SUM, transformation=Transformation.LEAKY_RELU(self.negative_slope)),
            (attention(V.I, V.J) <= score(V.I, V.J)[f"{self.output_name}__att" : 1, self.out_channels])
            | Metadata(aggregation=Aggregation.SOFTMAX(agg_terms=["J"]), transformation=Transformation.IDENTITY),
            (
                self._output()
                <= (
                    attention(V.I, V.J),
                    feature(V.J)[w1 : self.out_channels, self.in_channels],
                    edge(V.J, V.I),
                )
            )
            | Metadata(aggregation=Aggregation.SUM, combination=Combination.PRODUCT),
            self._output_setting(),
        ]


class RGCNConv(Conv):
    """R-GCN: `x'_i = act(W_0 x_i + sum_r agg_{j in N_r(i)} W_r x_j)`, one
    rule per relation r (the edge `*<edge>(J, r, I)`, or the relation
    `r(J, I)` itself when `edge_name` is None), the weights on the body
    literals (one per rule, not shared):

        <output>(I) :- {out, in} <feature>(I). [aggregation=<aggregation>]
        <output>(I) :- {out, in} <feature>(J), *<edge>(J, r, I). [aggregation=<aggregation>]
        <output>/1 [transformation=<activation>]
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        output_name: str,
        feature_name: str,
        edge_name: str | None,
        relations: list[str],
        activation: TransformationFunction = Transformation.IDENTITY,
        aggregation: AggregationFunction = Aggregation.AVG,
    ):
        self._keep(locals())

    def __call__(self):
        head = self._output()
        metadata = self._aggregated()
        neighbour = self._feature(V.J, weighted=True)
        edges = typed_edges(self.edge_name, self.relations, hidden=True)
        return [
            (head <= self._feature(V.I, weighted=True)) | metadata,
            *[(head <= (neighbour, edge)) | metadata for edge in edges],
            self._output_setting(),
        ]


class ResGatedGraphConv(Conv):
    """Residual gated graph convolution:
    `x'_i = act(W x_i + agg_j eta_ij * W x_j)`,
    `eta_ij = gating_act(W x_i + W x_j)` (`<output>__gate`); every W is a
    separate (out, in) weight:

        <output>__gate(I, J) :- {out, in} <feature>(I), {out, in} <feature>(J).
        <output>__gate/2 [transformation=<gating_activation>]
        <output>(I) :- {out, in} <feature>(I).
        <output>(I) :- <output>__gate(I, J), {out, in} <feature>(J), <edge>(J, I).
            [combination=elproduct, aggregation=<aggregation>]
        <output>/1 [transformation=<activation>]
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        output_name: str,
        feature_name: str,
        edge_name: str,
        gating_activation: TransformationFunction = Transformation.SIGMOID,
        activation: TransformationFunction = Transformation.IDENTITY,
        aggregation: AggregationFunction = Aggregation.SUM,
    ):
        self._keep(locals())

    def __call__(self):
        head = self._output()
        gate = R.get(f"{self.output_name}__gate")
        gated_neighbour = (gate(V.I, V.J), self._feature(V.J, weighted=True), R.get(self.edge_name)(V.J, V.I))
        return [
            gate(V.I, V.J) <= (self._feature(V.I, weighted=True), self._feature(V.J, weighted=True)),
            gate / 2 | Metadata(transformation=self.gating_activation),
            head <= self._feature(V.I, weighted=True),
            (head <= gated_neighbour) | self._aggregated(combination=Combination.ELPRODUCT),
            self._output_setting(),
        ]


class GENConv(Conv):
    """GENConv (DeeperGCN), as PyNeuraLogic writes it: messages
    `relu(x_j + e_ji)` (`<output>__gen_feat_sum`), aggregated with `eps`
    added (`<output>__gen_feat_agg`, `aggregation` default softmax), plus
    x_i (`<output>__gen_out`), through an `MLP` of `num_layers` layers
    (hidden size `out_channels * expansion`) into `<output>`. Features are
    projected to `out_channels` when the sizes differ, edge features when
    `edge_dim` differs from it.

    (PyNeuraLogic documents that it cannot be evaluated on vector features:
    the softmax aggregation is over scalar groundings.)
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        output_name: str,
        feature_name: str,
        edge_name: str,
        aggregation: AggregationFunction = Aggregation.SOFTMAX,
        num_layers: int = 2,
        expansion: int = 2,
        eps: float = 1e-7,
        train_eps: bool = False,
        edge_dim: int | None = None,
    ):
        self._keep(locals())

    def __call__(self):
        prefix = f"{self.output_name}__gen"
        eps = R.get(f"{self.output_name}__eps")
        project = self.edge_dim is not None and self.out_channels != self.edge_dim
        projection, edge = _edge(prefix, self.edge_name, self.out_channels, self.edge_dim, project)

        channels = [self.out_channels]
        channels.extend(self.out_channels * self.expansion for _ in range(self.num_layers - 1))
        channels.append(self.out_channels)
        mlp = MLP(channels, self.output_name, f"{prefix}_out", Transformation.IDENTITY)

        weighted = self.in_channels != self.out_channels  # project the features to out_channels
        x_j, x_i = self._feature(V.J, weighted), self._feature(V.I, weighted)
        aggregation = Metadata(aggregation=self.aggregation, combination=Combination.SUM)
        return [
            _learnable(eps[self.eps], self.train_eps),
            *projection,
            *_messages(prefix, x_j, edge, x_i, (eps,), aggregation),
            *mlp(),
        ]
