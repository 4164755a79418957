"""What the graph convolutions (`gnn`, `propagation`, `meta`) share: node
features `<feature>(I)`, edges `<edge>(J, I)` (a message flows from J to
I), the output `<output>(I)` with its `<output>/1 [transformation=...]`
setting, and for the GCN family the self-loop and normalization options
(`NormalizedConv`, with the rules of `normalization`)."""

from ..language import R, V
from ..metadata import Metadata
from .base import Module
from .normalization import hop, normalized_edges

__all__ = ["Conv", "NormalizedConv", "typed_edges"]


def typed_edges(edge_name: str | None, types: list[str], hidden: bool) -> list:
    """One edge J -> I per type t: `<edge>(J, t, I)` (`*`-hidden when
    `hidden`), or the relation `t(J, I)` itself when `edge_name` is None."""
    if edge_name is None:
        return [R.get(type_)(V.J, V.I) for type_ in types]
    edge = R.hidden.get(edge_name) if hidden else R.get(edge_name)
    return [edge(V.J, type_, V.I) for type_ in types]


class Conv(Module):
    """A graph convolution's shared pieces (the attributes `output_name`,
    `feature_name`, `edge_name`, `in_channels`, `out_channels`,
    `aggregation`, `activation` as the module has them)."""

    def _feature(self, term, weighted: bool = False):
        """`<feature>(term)`, with the weight {out, in} when `weighted`."""
        return self._literal(self.feature_name, term, weighted)

    def _output(self, term=V.I, weighted: bool = False):
        """`<output>(term)`, with the weight {out, in} when `weighted`."""
        return self._literal(self.output_name, term, weighted)

    def _literal(self, name: str, term, weighted: bool):
        literal = R.get(name)(term)
        return literal[self._weight] if weighted else literal

    def _aggregated(self, **settings) -> Metadata:
        """The rule settings `[aggregation=<aggregation>, ...]`."""
        return Metadata(aggregation=self.aggregation, **settings)

    def _neighbours(self, head, metadata: Metadata):
        """`head :- <feature>(J), *<edge>(J, I). [metadata]`: the features of
        the neighbours J of I (the edge hidden: it only selects them)."""
        return (head <= (self._feature(V.J), R.hidden.get(self.edge_name)(V.J, V.I))) | metadata


class NormalizedConv(Conv):
    """A GCN-style convolution: `add_self_loops` (None: as `normalize`)
    adds `self_loop_rules`, `normalize` the `degree_rules` and a
    `sqrt(<output>__edge_count)` factor on every edge read."""

    def _keep(self, arguments: dict) -> None:
        super()._keep(arguments)
        if "add_self_loops" in arguments and self.add_self_loops is None:
            self.add_self_loops = self.normalize

    def _edges(self, add_self_loops: bool | None = None) -> tuple[list, object]:
        """`(rules, edge)` of `normalized_edges` for this module's options
        (`add_self_loops` overrides the module's)."""
        if add_self_loops is None:
            add_self_loops = self.add_self_loops
        return normalized_edges(self.output_name, self.edge_name, add_self_loops, self.normalize)

    def _hop(self, edge, far, near) -> list:
        """`<edge>(far, near)` (and its normalization, when normalizing)."""
        return hop(self.output_name, edge, far, near, self.normalize)
