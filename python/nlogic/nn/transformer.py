"""Transformer encoder and decoder (PyNeuraLogic 0.9.2's
`neuralogic.nn.module.general.transformer`), rule for rule: post-norm
blocks of `MultiheadAttention`, a residual connection with `norm`, and an
`MLP` feed-forward network."""

from ..functions import Transformation
from ..language import R
from .attention import MultiheadAttention
from .base import Module, terms
from .dense import MLP

__all__ = ["EncoderBlock", "TransformerEncoder", "TransformerDecoder", "Transformer"]


def _add_norm(output_name: str, first: str, second: str, variables: list[str]):
    """`<output>(X0) :- <first>(X0), <second>(X0). [transformation=norm]`:
    a residual sum, normalized."""
    rule = R.get(output_name)(variables) <= (R.get(first)(variables), R.get(second)(variables))
    return rule | [Transformation.NORM]


class _Layer(Module):
    """What the transformer layers share: their sizes (`input_dim`,
    `num_heads`, `dim_feedforward`; `_sizes`, the first arguments of every
    layer), `arity`, and the `EncoderBlock`s they are made of (`_block`)."""

    @property
    def _sizes(self) -> tuple[int, int, int]:
        return self.input_dim, self.num_heads, self.dim_feedforward

    def _block(self, output_name: str, query_name: str, memory_name: str, mask_name: str | None, mlp: bool = True):
        """An `EncoderBlock` of these sizes attending from `query_name` to
        `memory_name` (its keys and values)."""
        return EncoderBlock(*self._sizes, output_name, query_name, memory_name, memory_name, mask_name, self.arity, mlp)


class EncoderBlock(_Layer):
    """One block (PyNeuraLogic's name; its encoder layer):

        a    = MultiheadAttention(query, key, value)             (<output>__mhattn)
        norm = norm(a + query)                                   (<output>__norm)
        out  = norm(norm + MLP([dim, dim_feedforward, dim])(norm))  (<output>__mlp; relu, identity)

    Without `mlp` the block ends at `out = norm(a + query)`.
    """

    def __init__(
        self,
        input_dim: int,
        num_heads: int,
        dim_feedforward: int,
        output_name: str,
        query_name: str,
        key_name: str,
        value_name: str,
        mask_name: str | None = None,
        arity: int = 1,
        mlp: bool = True,
    ):
        self._keep(locals())

    def __call__(self):
        variables = terms(self.arity)
        attn_name = f"{self.output_name}__mhattn"
        norm_name = f"{self.output_name}__norm"
        mlp_name = f"{self.output_name}__mlp"
        dim = self.input_dim

        attention = MultiheadAttention(
            dim,
            self.num_heads,
            attn_name,
            self.query_name,
            self.key_name,
            self.value_name,
            mask_name=self.mask_name,
            arity=self.arity,
        )
        if not self.mlp:
            return [*attention(), _add_norm(self.output_name, attn_name, self.query_name, variables)]

        dims = [dim, self.dim_feedforward, dim]
        mlp = MLP(dims, mlp_name, norm_name, [Transformation.RELU, Transformation.IDENTITY], self.arity)
        return [
            *attention(),
            _add_norm(norm_name, attn_name, self.query_name, variables),
            *mlp(),
            _add_norm(self.output_name, norm_name, mlp_name, variables),
        ]


class TransformerEncoder(EncoderBlock):
    """An encoder layer: an `EncoderBlock` with self-attention over
    `input_name` (query, key and value), `mask_name` masking it."""

    def __init__(
        self,
        input_dim: int,
        num_heads: int,
        dim_feedforward: int,
        output_name: str,
        input_name: str,
        mask_name: str | None = None,
        arity: int = 1,
    ):
        super().__init__(
            input_dim,
            num_heads,
            dim_feedforward,
            output_name,
            input_name,
            input_name,
            input_name,
            mask_name,
            arity,
            True,
        )


class TransformerDecoder(_Layer):
    """A decoder layer: self-attention over `input_name` (`mask_name`; an
    `EncoderBlock` without MLP, `<output>__decoder`), then an `EncoderBlock`
    attending from it to `encoder_name` (`memory_mask_name`)."""

    def __init__(
        self,
        input_dim: int,
        num_heads: int,
        dim_feedforward: int,
        output_name: str,
        input_name: str,
        encoder_name: str,
        mask_name: str | None = None,
        memory_mask_name: str | None = None,
        arity: int = 1,
    ):
        self._keep(locals())

    def __call__(self):
        tmp_encoder_out = f"{self.output_name}__decoder"
        self_attention = self._block(tmp_encoder_out, self.input_name, self.input_name, self.mask_name, mlp=False)
        cross_attention = self._block(self.output_name, tmp_encoder_out, self.encoder_name, self.memory_mask_name)
        return [*self_attention(), *cross_attention()]


class Transformer(_Layer):
    """An encoder-decoder transformer: a `TransformerEncoder` over
    `src_name` (`<output>__encoder`) and a `TransformerDecoder` over
    `tgt_name` attending to it."""

    def __init__(
        self,
        input_dim: int,
        num_heads: int,
        dim_feedforward: int,
        output_name: str,
        src_name: str,
        tgt_name: str,
        src_mask_name: str | None = None,
        tgt_mask_name: str | None = None,
        memory_mask_name: str | None = None,
        arity: int = 1,
    ):
        self._keep(locals())

    def __call__(self):
        encoder_name = f"{self.output_name}__encoder"
        encoder = TransformerEncoder(*self._sizes, encoder_name, self.src_name, self.src_mask_name, self.arity)
        decoder = TransformerDecoder(
            *self._sizes,
            self.output_name,
            self.tgt_name,
            encoder_name,
            self.tgt_mask_name,
            self.memory_mask_name,
            self.arity,
        )
        return [*encoder(), *decoder()]
