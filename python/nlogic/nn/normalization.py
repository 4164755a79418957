"""The rules GCN-style modules share (PyNeuraLogic 0.9.2 writes them inline
in `gnn/{gcn,sg,appnp}.py`): self-loops and the symmetric degree
normalization D^-1/2 A D^-1/2 of PyG's `gcn_norm`, and the edges a
module reads with them (`normalized_edges`, `hop`)."""

from ..functions import Aggregation, Combination, Transformation
from ..language import R, V
from ..metadata import Metadata

__all__ = ["self_loop_rules", "degree_rules", "normalized_edges", "hop"]


def self_loop_rules(output_name: str, edge_name: str) -> list:
    """`<output>__edge`: the edges plus a loop of value 1 on every node:

        <1.0> <output>__edge(I, I).
        <output>__edge(I, J) :- <edge>(I, J).

    The first is a fact with a variable, which nlogic's importer rejects
    ("a fact cannot contain the variable 'I'").
    """
    edge = R.get(f"{output_name}__edge")
    return [
        edge(V.I, V.I)[1.0].fixed(),
        edge(V.I, V.J) <= (R.get(edge_name)(V.I, V.J)),
    ]


def degree_rules(output_name: str, edge) -> list:
    """`<output>__edge_count(I, J) = 1 / (deg(I) deg(J))`, deg the weighted
    in-degree (the sum of the values of the edges into a node; the square
    root is taken where it is used):

        <output>__edge_count(I, J) :- <edge>(X, J). [aggregation=sum]
        <output>__edge_count(I, J) :- <edge>(X, I). [aggregation=sum]
        <output>__edge_count/2 [transformation=inverse, combination=product]

    `edge` is the edge relation (a relation, `R.get(name)`). nlogic's
    importer rejects these rules as unsafe: no body atom binds the head's
    other variable.
    """
    edge_count = R.get(f"{output_name}__edge_count")
    count_metadata = Metadata(aggregation=Aggregation.SUM)
    return [
        (edge_count(V.I, V.J) <= edge(V.X, V.J)) | count_metadata,
        (edge_count(V.I, V.J) <= edge(V.X, V.I)) | count_metadata,
        edge_count / 2 | Metadata(combination=Combination.PRODUCT, transformation=Transformation.INVERSE),
    ]


def normalized_edges(
    output_name: str, edge_name: str, add_self_loops: bool, normalize: bool, hidden: bool = False
) -> tuple[list, object]:
    """`(rules, edge)`: the `self_loop_rules` (when `add_self_loops`) and
    then the `degree_rules` (when `normalize`), and the edge relation to
    read: `<output>__edge` with self-loops, else `<edge>` (`*`-hidden when
    `hidden`)."""
    get = R.hidden.get if hidden else R.get
    rules = []
    edge = get(edge_name)
    if add_self_loops:
        rules = self_loop_rules(output_name, edge_name)
        edge = get(f"{output_name}__edge")
    if normalize:
        rules = [*rules, *degree_rules(output_name, edge)]
    return rules, edge


def hop(output_name: str, edge, far, near, normalize: bool) -> list:
    """One edge from `far` to `near`: `<edge>(far, near)`, and when
    normalizing `sqrt(<output>__edge_count(far, near))`."""
    body = [edge(far, near)]
    if normalize:
        body.append(Transformation.SQRT(R.get(f"{output_name}__edge_count")(far, near)))
    return body
