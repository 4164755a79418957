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
from .dense import MLP
from .normalization import degree_rules, self_loop_rules

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


class GCNConv(Module):
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
        self.output_name = output_name
        self.feature_name = feature_name
        self.edge_name = edge_name
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.aggregation = aggregation
        self.activation = activation
        self.normalize = normalize
        self.add_self_loops = normalize if add_self_loops is None else add_self_loops

    def __call__(self):
        head = R.get(self.output_name)(V.I)[self.out_channels, self.in_channels]
        metadata = Metadata(aggregation=self.aggregation, combination=Combination.PRODUCT)
        feature = R.get(self.feature_name)
        edge = R.get(self.edge_name)
        body = [feature(V.J), edge(V.J, V.I)]

        self_loops = []
        if self.add_self_loops:
            self_loops = self_loop_rules(self.output_name, self.edge_name)
            edge = R.get(f"{self.output_name}__edge")

        normalization = []
        if self.normalize:
            edge_count = R.get(f"{self.output_name}__edge_count")
            body = [feature(V.J), edge(V.J, V.I), Transformation.SQRT(edge_count(V.J, V.I))]
            normalization = degree_rules(self.output_name, edge)

        return [
            *self_loops,
            *normalization,
            (head <= body) | metadata,
            R.get(self.output_name) / 1 | Metadata(transformation=self.activation),
        ]


class SAGEConv(Module):
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
        self.output_name = output_name
        self.feature_name = feature_name
        self.edge_name = edge_name
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.aggregation = aggregation
        self.activation = activation

    def __call__(self):
        head = R.get(self.output_name)(V.I)[self.out_channels, self.in_channels]
        metadata = Metadata(aggregation=self.aggregation)
        return [
            (head <= (R.get(self.feature_name)(V.J), R.hidden.get(self.edge_name)(V.J, V.I))) | metadata,
            (head <= R.get(self.feature_name)(V.I)) | metadata,
            R.get(self.output_name) / 1 | Metadata(transformation=self.activation),
        ]


class GINConv(Module):
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
        self.output_name = output_name
        self.feature_name = feature_name
        self.edge_name = edge_name
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.aggregation = aggregation
        self.activation = activation

    def __call__(self):
        head = R.get(self.output_name)(V.I)[self.out_channels, self.in_channels]
        embed = R.get(f"embed__{self.output_name}")
        metadata = Metadata(aggregation=self.aggregation)
        return [
            (head <= (R.get(self.feature_name)(V.J), R.hidden.get(self.edge_name)(V.J, V.I))) | metadata,
            (embed(V.I) <= R.get(self.feature_name)(V.I)) | metadata,
            (head <= embed(V.I)[self.in_channels, self.in_channels]) | Metadata(transformation=self.activation),
            R.get(self.output_name) / 1 | Metadata(transformation=self.activation),
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
        self.feature_name = feature_name
        self.edge_name = edge_name
        self.nn_name = nn_name
        self.eps = eps
        self.train_eps = train_eps
        self.in_channels = in_channels
        self.edge_dim = edge_dim

    def __call__(self):
        feat_sum = R.get(f"{self.nn_name}__gine_feat_sum")
        feat_agg = R.get(f"{self.nn_name}__gine_feat_agg")
        out = R.get(f"{self.nn_name}__gine_out")
        x = R.get(self.feature_name)
        e = R.get(self.edge_name)

        x_eps = x(V.I)[self.eps + 1]
        if not self.train_eps:
            x_eps = x_eps.fixed()

        e_proj = []
        if self.edge_dim is not None:
            e = R.get(f"{self.nn_name}__gine_edge_proj")
            e_proj = [e(V.I, V.J)[self.in_channels, self.edge_dim] <= R.get(self.edge_name)(V.I, V.J)]

        return [
            *e_proj,
            (feat_sum(V.I, V.J) <= (x(V.J), e(V.J, V.I)))
            | Metadata(transformation=Transformation.RELU, combination=Combination.SUM),
            (feat_agg(V.I) <= feat_sum(V.I, V.J)) | Metadata(aggregation=Aggregation.SUM),
            (out(V.I) <= (x_eps, feat_agg(V.I))) | Metadata(combination=Combination.SUM),
            R.get(self.nn_name)(V.I) <= out(V.I),
        ]


class GATv2Conv(Module):
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
        self.output_name = output_name
        self.feature_name = feature_name
        self.edge_name = edge_name
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.share_weights = share_weights
        self.activation = activation
        self.add_self_loops = add_self_loops
        self.negative_slope = negative_slope

    def __call__(self):
        w1 = f"{self.output_name}__right"
        w2 = w1 if self.share_weights else f"{self.output_name}__left"

        score = R.get(f"{self.output_name}__score")
        attention = R.get(f"{self.output_name}__attention")
        head = R.get(self.output_name)
        feature = R.get(self.feature_name)

        self_loops = []
        if self.add_self_loops:
            self_loops = self_loop_rules(self.output_name, self.edge_name)
            edge = R.hidden.get(f"{self.output_name}__edge")
        else:
            edge = R.hidden.get(self.edge_name)

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
                head(V.I)
                <= (
                    attention(V.I, V.J),
                    feature(V.J)[w1 : self.out_channels, self.in_channels],
                    edge(V.J, V.I),
                )
            )
            | Metadata(aggregation=Aggregation.SUM, combination=Combination.PRODUCT),
            head / 1 | Metadata(transformation=self.activation),
        ]


class RGCNConv(Module):
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
        self.output_name = output_name
        self.feature_name = feature_name
        self.edge_name = edge_name
        self.relations = relations
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.aggregation = aggregation
        self.activation = activation

    def __call__(self):
        head = R.get(self.output_name)(V.I)
        metadata = Metadata(aggregation=self.aggregation)
        feature = R.get(self.feature_name)(V.J)[self.out_channels, self.in_channels]

        if self.edge_name is not None:
            edges = [R.hidden.get(self.edge_name)(V.J, relation, V.I) for relation in self.relations]
        else:
            edges = [R.get(relation)(V.J, V.I) for relation in self.relations]

        return [
            (head <= R.get(self.feature_name)(V.I)[self.out_channels, self.in_channels]) | metadata,
            *[(head <= (feature, edge)) | metadata for edge in edges],
            R.get(self.output_name) / 1 | Metadata(transformation=self.activation),
        ]


class ResGatedGraphConv(Module):
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
        self.output_name = output_name
        self.feature_name = feature_name
        self.edge_name = edge_name
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.aggregation = aggregation
        self.activation = activation
        self.gating_activation = gating_activation

    def __call__(self):
        head = R.get(self.output_name)(V.I)
        feature = R.get(self.feature_name)
        gate = R.get(f"{self.output_name}__gate")
        w = self.out_channels, self.in_channels
        prod_metadata = Metadata(combination=Combination.ELPRODUCT, aggregation=self.aggregation)
        return [
            gate(V.I, V.J) <= (feature(V.I)[w], feature(V.J)[w]),
            gate / 2 | Metadata(transformation=self.gating_activation),
            head <= feature(V.I)[w],
            (head <= (gate(V.I, V.J), feature(V.J)[w], R.get(self.edge_name)(V.J, V.I))) | prod_metadata,
            R.get(self.output_name) / 1 | Metadata(transformation=self.activation),
        ]


class GENConv(Module):
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
        self.output_name = output_name
        self.feature_name = feature_name
        self.edge_name = edge_name
        self.aggregation = aggregation
        self.num_layers = num_layers
        self.expansion = expansion
        self.eps = eps
        self.train_eps = train_eps
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.edge_dim = edge_dim

    def __call__(self):
        feat_sum = R.get(f"{self.output_name}__gen_feat_sum")
        feat_agg = R.get(f"{self.output_name}__gen_feat_agg")
        out = R.get(f"{self.output_name}__gen_out")
        x = R.get(self.feature_name)
        e = R.get(self.edge_name)

        eps = R.get(f"{self.output_name}__eps")
        v_eps = eps[self.eps]
        if not self.train_eps:
            v_eps = v_eps.fixed()

        e_proj = []
        if self.edge_dim is not None and self.out_channels != self.edge_dim:
            e = R.get(f"{self.output_name}__gen_edge_proj")
            e_proj = [e(V.I, V.J)[self.out_channels, self.edge_dim] <= R.get(self.edge_name)(V.I, V.J)]

        channels = [self.out_channels]
        channels.extend(self.out_channels * self.expansion for _ in range(self.num_layers - 1))
        channels.append(self.out_channels)
        mlp = MLP(channels, self.output_name, f"{self.output_name}__gen_out", Transformation.IDENTITY)

        j_feat = x(V.J)
        i_feat = x(V.I)
        if self.in_channels != self.out_channels:
            j_feat = x(V.J)[self.out_channels, self.in_channels]
            i_feat = x(V.I)[self.out_channels, self.in_channels]

        return [
            v_eps,
            *e_proj,
            (feat_sum(V.I, V.J) <= (j_feat, e(V.J, V.I)))
            | Metadata(transformation=Transformation.RELU, combination=Combination.SUM),
            (feat_agg(V.I) <= (feat_sum(V.I, V.J), eps))
            | Metadata(aggregation=self.aggregation, combination=Combination.SUM),
            (out(V.I) <= (i_feat, feat_agg(V.I))) | Metadata(combination=Combination.SUM),
            *mlp(),
        ]
