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
from .conv import NormalizedConv

__all__ = ["SGConv", "TAGConv", "APPNPConv"]


def _walk(conv: NormalizedConv, edge, hops: int) -> list:
    """`<feature>(I<hops>)` and the edges I<hops> -> ... -> I0, each with
    `sqrt(<edge_count>)` when normalizing."""
    body = [conv._feature(f"I{hops}")]
    for near, far in zip(range(hops), range(1, hops + 1)):
        body.extend(conv._hop(edge, f"I{far}", f"I{near}"))
    return body


class SGConv(NormalizedConv):
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
        self._keep(locals())

    def __call__(self):
        rules, edge = self._edges()
        head = self._output(V.I0, weighted=True)
        metadata = self._aggregated(combination=Combination.PRODUCT, duplicate_grounding=True)
        return [*rules, (head <= _walk(self, edge, self.k)) | metadata, self._output_setting()]


class TAGConv(NormalizedConv):
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
        self._keep(locals())

    def __call__(self):
        rules, edge = self._edges(add_self_loops=False)
        metadata = self._aggregated(combination=Combination.PRODUCT)
        hop_rules = [
            (self._output(V.I0, weighted=True) <= _walk(self, edge, i)) | metadata for i in range(self.k + 1)
        ]
        return [*rules, *hop_rules, self._output_setting()]


class APPNPConv(NormalizedConv):
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
        self._keep(locals())

    def __call__(self):
        rules, edge = self._edges()
        metadata = self._aggregated(combination=Combination.PRODUCT)
        feature = R.get(self.feature_name)

        def iterate(k):
            """x^k: the features for k = 0, else `<output>__<k>`."""
            return feature if k == 0 else R.get(f"{self.output_name}__{k}")

        steps = [(iterate(k)(V.I), iterate(k - 1)) for k in range(1, self.k)]
        steps.append((self._output(), iterate(self.k - 1)))
        for head, previous in steps:
            # alpha x_i, plus one hop of the previous iterate times 1 - alpha
            rules.append((head <= feature(V.I)[self.alpha].fixed()) | metadata)
            rules.append((head <= [previous(V.J)[1 - self.alpha].fixed(), *self._hop(edge, V.J, V.I)]) | metadata)
        return [*rules, self._output_setting()]
