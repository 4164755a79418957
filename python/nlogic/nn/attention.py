"""Scaled dot-product attention, single- and multi-head (PyNeuraLogic
0.9.2's `neuralogic.nn.module.general.attention`), rule for rule.

nlogic writes the transposed key `k(Y)^T` where PyNeuraLogic prints
`transpose(k(Y))`, and a head's slice `slice(rows=[0, 2])` where it prints
`slice(rows=[0, 2], cols=...)` (see `nlogic.language`).
"""

import math

from ..functions import Aggregation, Combination, Transformation
from ..language import R
from .base import Module, terms

__all__ = ["Attention", "MultiheadAttention"]


class Attention(Module):
    """`out(X) = sum_Y softmax_Y(q(X) . k(Y) / sqrt(embed_dim)) v(Y)`:

        <1/sqrt(embed_dim)> <output>__dk.
        <output>__dot(X, Y) :- <output>__dk, <key>(Y)^T, <query>(X).
            [combination=product, aggregation=softmax(agg_terms=[Y])]
        <output>(X) :- <output>__dot(X, Y), <value>(Y). [combination=product, aggregation=sum]

    With `arity` n > 1 the first n-1 terms (X0, ...) are shared by query,
    key and value (one attention per value of them). `mask_name` adds the
    hidden literal `*<mask>(X, Y)` to the score rule: Y is attended to
    from X only where it holds.
    """

    def __init__(
        self,
        embed_dim: int,
        output_name: str,
        query_name: str,
        key_name: str,
        value_name: str,
        mask_name: str | None = None,
        arity: int = 1,
    ):
        self._keep(locals())

    def __call__(self):
        shared = terms(self.arity - 1)
        k_terms = [*shared, "Y"]
        h_terms = [*shared, "X", "Y"]
        q_terms = [*shared, "X"]

        d_k = 1 / math.sqrt(self.embed_dim)
        dk_rel = R.get(f"{self.output_name}__dk")
        dot_rel = R.get(f"{self.output_name}__dot")

        metadata = [Combination.PRODUCT, Aggregation.SOFTMAX(agg_terms=["Y"])]
        out_metadata = [Combination.PRODUCT, Aggregation.SUM]

        body = [dk_rel, R.get(self.key_name)(k_terms).T, R.get(self.query_name)(q_terms)]
        if self.mask_name is not None:
            body.append(R.hidden.get(self.mask_name)(h_terms))

        return [
            dk_rel[d_k].fixed(),
            (dot_rel(h_terms) <= body) | metadata,
            (R.get(self.output_name)(q_terms) <= (dot_rel(h_terms), R.get(self.value_name)(k_terms))) | out_metadata,
        ]


class MultiheadAttention(Module):
    """Multi-head attention: queries, keys and values projected by the
    shared weights `$<output>_qw`, `_kw`, `_vw` (embed_dim x embed_dim,
    x kdim / vdim), each head h taking rows [h*d, (h+1)*d) of them
    (`<output>__qproj(h, X0)`, ..., `transformation=slice(rows=...)`), an
    `Attention` per head (`<output>__attention(h, X0)`, the head index its
    first term), the heads concatenated and projected:

        {dim, dim} <output>(X0) :- <output>__attention(0, X0), ... [combination=concat]

    With one head there is no slicing and no head term.
    """

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        output_name: str,
        query_name: str,
        key_name: str,
        value_name: str,
        vdim: int | None = None,
        kdim: int | None = None,
        mask_name: str | None = None,
        arity: int = 1,
    ):
        self.embed_dim = embed_dim
        self.num_heads = num_heads
        self.output_name = output_name
        self.queries = query_name
        self.keys = key_name
        self.values = value_name
        self.vdim: int = vdim if vdim is not None else embed_dim
        self.kdim: int = kdim if kdim is not None else embed_dim
        self.mask_name = mask_name
        self.arity = arity

    def __call__(self):
        variables = terms(self.arity)
        dim = self.embed_dim
        output_rel = R.get(self.output_name)
        attention_name = f"{self.output_name}__attention"

        # (projection, input, weight, input size) in PyNeuraLogic's order: queries, values, keys
        inputs = (("q", self.queries, dim), ("v", self.values, self.vdim), ("k", self.keys, self.kdim))
        projections = [
            (f"{self.output_name}__{kind}proj", source, f"{self.output_name}_{kind}w", size)
            for kind, source, size in inputs
        ]
        q_proj_name, v_proj_name, k_proj_name = (projection[0] for projection in projections)
        attention = Attention(
            dim // self.num_heads, attention_name, q_proj_name, k_proj_name, v_proj_name, self.mask_name, self.arity
        )

        if self.num_heads == 1:
            multihead_rules = [
                R.get(proj)(variables)[weight:dim, in_size] <= R.get(source)(variables)
                for proj, source, weight, in_size in projections
            ]
            multihead_rules.append(output_rel(variables)[dim, dim] <= R.get(attention_name)(variables))
            return [*attention(), *multihead_rules]

        size = self.embed_dim / self.num_heads
        attention.arity += 1  # the head index
        attention_concat = []
        multihead_rules = []
        for i in range(self.num_heads):
            meta = [Transformation.SLICE(rows=(i * size, (i + 1) * size))]
            multihead_rules.extend(
                (R.get(proj)(i, *variables) <= R.get(source)(variables)[weight:dim, in_size]) | meta
                for proj, source, weight, in_size in projections
            )
            attention_concat.append(R.get(attention_name)(i, *variables))
        multihead_rules.append((output_rel(variables)[dim, dim] <= attention_concat) | [Combination.CONCAT])
        return [*attention(), *multihead_rules]
