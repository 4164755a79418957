"""Multi-hop graph convolutions (PyNeuraLogic 0.9.2's
`neuralogic.nn.module.gnn.{sg,tag,appnp}`), rule for rule: walks of k
edges, each hop scaled by the normalization of `degree_rules`.

`SGConv` and `APPNPConv` add self-loops by default (`self_loop_rules`),
whose fact `<1.0> <output>__edge(I, I).` nlogic's importer rejects, and
all three normalize by default with `degree_rules`, whose rules the
importer rejects as unsafe; with `normalize=False` (and so no self-loops
by default) they import.
"""

from ..functions import Aggregation, AggregationFunction, Combination, Transformation, TransformationFunction
from ..language import R, V
from ..metadata import Metadata
from .base import Module
from .normalization import degree_rules, self_loop_rules

__all__ = ["SGConv", "TAGConv", "APPNPConv"]


def _walk(feature, edge, edge_count, hops: int, normalize: bool) -> list:
    """`<feature>(I<hops>)` and the edges I<hops> -> ... -> I0, each with
    `sqrt(<edge_count>)` when normalizing."""
    body = [feature(f"I{hops}")]
    for near, far in zip(range(hops), range(1, hops + 1)):
        body.append(edge(f"I{far}", f"I{near}"))
        if normalize:
            body.append(Transformation.SQRT(edge_count(f"I{far}", f"I{near}")))
    return body


class SGConv(Module):
    """SGC: `X' = act((D^-1/2 A D^-1/2)^k X W)`, one rule walking k edges
    (with self-loops by default), the head weight W:

        {out, in} <output>(I0) :- <feature>(Ik), <output>__edge(I1, I0),
            sqrt(<output>__edge_count(I1, I0)), ...
            [combination=product, aggregation=<aggregation>, duplicit_grounding=true]
        <output>/1 [transformation=<activation>]

    (PyNeuraLogic prints `duplicate_grounding=True`.)
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        output_name: str,
        feature_name: str,
        edge_name: str,
        k: int = 1,
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
        self.k = k
        self.aggregation = aggregation
        self.activation = activation
        self.normalize = normalize
        self.add_self_loops = normalize if add_self_loops is None else add_self_loops

    def __call__(self):
        head = R.get(self.output_name)(V.I0)[self.out_channels, self.in_channels]
        metadata = Metadata(aggregation=self.aggregation, combination=Combination.PRODUCT, duplicate_grounding=True)
        edge = R.get(self.edge_name)
        edge_count = R.get(f"{self.output_name}__edge_count")

        self_loops = []
        if self.add_self_loops:
            self_loops = self_loop_rules(self.output_name, self.edge_name)
            edge = R.get(f"{self.output_name}__edge")
        normalization = degree_rules(self.output_name, edge) if self.normalize else []

        body = _walk(R.get(self.feature_name), edge, edge_count, self.k, self.normalize)
        return [
            *self_loops,
            *normalization,
            (head <= body) | metadata,
            R.get(self.output_name) / 1 | Metadata(transformation=self.activation),
        ]


class TAGConv(Module):
    """TAGCN: `X' = act(sum_{h=0..k} (D^-1/2 A D^-1/2)^h X W_h)`, one rule
    per hop count h with its own head weight W_h (no self-loops):

        {out, in} <output>(I0) :- <feature>(I0). [combination=product, aggregation=<aggregation>]
        {out, in} <output>(I0) :- <feature>(I1), <edge>(I1, I0), sqrt(<output>__edge_count(I1, I0)). [...]
        ...
        <output>/1 [transformation=<activation>]
    """

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        output_name: str,
        feature_name: str,
        edge_name: str,
        k: int = 2,
        activation: TransformationFunction = Transformation.IDENTITY,
        aggregation: AggregationFunction = Aggregation.SUM,
        normalize: bool = True,
    ):
        self.output_name = output_name
        self.feature_name = feature_name
        self.edge_name = edge_name
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.k = k
        self.activation = activation
        self.aggregation = aggregation
        self.normalize = normalize

    def __call__(self):
        metadata = Metadata(aggregation=self.aggregation, combination=Combination.PRODUCT)
        head = R.get(self.output_name)
        feature = R.get(self.feature_name)
        edge = R.get(self.edge_name)
        edge_count = R.get(f"{self.output_name}__edge_count")

        normalization = degree_rules(self.output_name, edge) if self.normalize else []
        hop_rules = [
            (head(V.I0)[self.out_channels, self.in_channels] <= _walk(feature, edge, edge_count, i, self.normalize))
            | metadata
            for i in range(self.k + 1)
        ]
        return [
            *normalization,
            *hop_rules,
            head / 1 | Metadata(transformation=self.activation),
        ]


class APPNPConv(Module):
    """APPNP: `x^0 = x`, `x^k_i = alpha x_i + (1 - alpha) sum_j norm_ij x^{k-1}_j`,
    `x' = act(x^K)`; iterate k < K is `<output>__<k>`, the last `<output>`,
    alpha and 1 - alpha fixed body weights:

        <output>__1(I) :- <alpha> <feature>(I). [combination=product, aggregation=<aggregation>]
        <output>__1(I) :- <1 - alpha> <feature>(J), <output>__edge(J, I),
            sqrt(<output>__edge_count(J, I)). [combination=product, aggregation=<aggregation>]
        ...
        <output>/1 [transformation=<activation>]

    Self-loops and normalization as in `GCNConv`.
    """

    def __init__(
        self,
        output_name: str,
        feature_name: str,
        edge_name: str,
        k: int,
        alpha: float,
        activation: TransformationFunction = Transformation.IDENTITY,
        aggregation: AggregationFunction = Aggregation.SUM,
        add_self_loops: bool | None = None,
        normalize: bool = True,
    ):
        self.output_name = output_name
        self.feature_name = feature_name
        self.edge_name = edge_name
        self.alpha = alpha
        self.k = k
        self.aggregation = aggregation
        self.activation = activation
        self.normalize = normalize
        self.add_self_loops = normalize if add_self_loops is None else add_self_loops

    def __call__(self):
        head = R.get(self.output_name)(V.I)
        metadata = Metadata(aggregation=self.aggregation, combination=Combination.PRODUCT)
        edge = R.get(self.edge_name)
        edge_count = R.get(f"{self.output_name}__edge_count")
        feature = R.get(self.feature_name)

        self_loops = []
        if self.add_self_loops:
            self_loops = self_loop_rules(self.output_name, self.edge_name)
            edge = R.get(f"{self.output_name}__edge")
        normalization = degree_rules(self.output_name, edge) if self.normalize else []

        def propagate(source):
            """One hop: the previous iterate along an edge, normalized, times 1 - alpha."""
            body = [source(V.J)[1 - self.alpha].fixed(), edge(V.J, V.I)]
            if self.normalize:
                body.append(Transformation.SQRT(edge_count(V.J, V.I)))
            return body

        rules = []
        for k in range(1, self.k):
            k_head = R.get(f"{self.output_name}__{k}")(V.I)
            previous = feature if k == 1 else R.get(f"{self.output_name}__{k - 1}")
            rules.append((k_head <= feature(V.I)[self.alpha].fixed()) | metadata)
            rules.append((k_head <= propagate(previous)) | metadata)

        last = feature if self.k == 1 else R.get(f"{self.output_name}__{self.k - 1}")
        return [
            *self_loops,
            *normalization,
            *rules,
            (head <= feature(V.I)[self.alpha].fixed()) | metadata,
            (head <= propagate(last)) | metadata,
            R.get(self.output_name) / 1 | Metadata(transformation=self.activation),
        ]
