"""Sinusoidal positional encoding (PyNeuraLogic 0.9.2's
`neuralogic.nn.module.general.positional_encoding`)."""

import math

import numpy as np

from ..functions import Combination
from ..language import R
from .base import Module, terms

__all__ = ["PositionalEncoding"]


class PositionalEncoding(Module):
    """`out(X) = pe(X) + in(X)`: one fact `<output>__pe(..., i)` per position
    i < max_len, valued sin/cos of i at `embed_dim` frequencies (base 1000,
    as PyNeuraLogic computes it), fixed unless `learnable`, and the rule

        <output>(X0) :- <output>__pe(X0), <input>(X0). [combination=sum]

    With `arity` > 1 the facts have the variables X0..X(arity-2) in front
    of the position, which nlogic's importer rejects (a fact cannot contain
    a variable).
    """

    def __init__(
        self,
        embed_dim: int,
        max_len: int,
        output_name: str,
        input_name: str,
        arity: int = 1,
        learnable: bool = False,
    ):
        self._keep(locals())

    def __call__(self):
        fact_terms = terms(self.arity - 1)
        all_terms = terms(self.arity)

        # The same numpy expressions as PyNeuraLogic's, for the same digits.
        position = np.arange(0, self.max_len).reshape((self.max_len, 1))
        div_term = np.exp(np.arange(0, self.embed_dim, 2) * (-math.log(1000.0) / self.embed_dim))
        pe = np.zeros((self.max_len, self.embed_dim))
        mul = position * div_term
        pe[:, 0::2] = np.sin(mul)
        pe[:, 1::2] = np.cos(mul)

        pe_rel = R.get(f"{self.output_name}__pe")
        out_rel = R.get(self.output_name)
        in_rel = R.get(self.input_name)

        if self.learnable:
            rules = [pe_rel(*fact_terms, i)[row] for i, row in enumerate(pe)]
        else:
            rules = [pe_rel(*fact_terms, i)[row].fixed() for i, row in enumerate(pe)]
        rules.append((out_rel(all_terms) <= (pe_rel(all_terms), in_rel(all_terms))) | [Combination.SUM])
        return rules
