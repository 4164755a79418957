"""Transformer encoder and decoder (PyNeuraLogic 0.9.2's
`neuralogic.nn.module.general.transformer`), rule for rule: post-norm
blocks of `MultiheadAttention`, a residual connection with `norm`, and an
`MLP` feed-forward network."""

from ..functions import Transformation
from ..language import R
from .attention import MultiheadAttention
from .base import Module
from .dense import MLP

__all__ = ["EncoderBlock", "TransformerEncoder", "TransformerDecoder", "Transformer"]


class EncoderBlock(Module):
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
        self.input_dim = input_dim
        self.num_heads = num_heads
        self.dim_feedforward = dim_feedforward
        self.output_name = output_name
        self.query_name = query_name
        self.key_name = key_name
        self.value_name = value_name
        self.mask_name = mask_name
        self.arity = arity
        self.mlp = mlp

    def __call__(self):
        terms = [f"X{i}" for i in range(self.arity)]
        attn_name = f"{self.output_name}__mhattn"
        norm_name = f"{self.output_name}__norm"
        mlp_name = f"{self.output_name}__mlp"
        output_rel = R.get(self.output_name)
        dim = self.input_dim
        data_name = self.query_name

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

        if self.mlp:
            dims = [dim, self.dim_feedforward, dim]
            mlp = MLP(dims, mlp_name, norm_name, [Transformation.RELU, Transformation.IDENTITY], self.arity)
            return [
                *attention(),
                (R.get(norm_name)(terms) <= (R.get(attn_name)(terms), R.get(data_name)(terms))) | [Transformation.NORM],
                *mlp(),
                (output_rel(terms) <= (R.get(norm_name)(terms), R.get(mlp_name)(terms))) | [Transformation.NORM],
            ]
        return [
            *attention(),
            (output_rel(terms) <= (R.get(attn_name)(terms), R.get(data_name)(terms))) | [Transformation.NORM],
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


class TransformerDecoder(Module):
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
        self.input_dim = input_dim
        self.num_heads = num_heads
        self.dim_feedforward = dim_feedforward
        self.output_name = output_name
        self.input_name = input_name
        self.encoder_name = encoder_name
        self.mask_name = mask_name
        self.memory_mask_name = memory_mask_name
        self.arity = arity

    def __call__(self):
        data_name = self.input_name
        tmp_encoder_out = f"{self.output_name}__decoder"
        self_attention = EncoderBlock(
            self.input_dim,
            self.num_heads,
            self.dim_feedforward,
            tmp_encoder_out,
            data_name,
            data_name,
            data_name,
            self.mask_name,
            self.arity,
            False,
        )
        cross_attention = EncoderBlock(
            self.input_dim,
            self.num_heads,
            self.dim_feedforward,
            self.output_name,
            tmp_encoder_out,
            self.encoder_name,
            self.encoder_name,
            self.memory_mask_name,
            self.arity,
        )
        return [*self_attention(), *cross_attention()]


class Transformer(Module):
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
        self.input_dim = input_dim
        self.num_heads = num_heads
        self.dim_feedforward = dim_feedforward
        self.output_name = output_name
        self.src_name = src_name
        self.tgt_name = tgt_name
        self.src_mask_name = src_mask_name
        self.tgt_mask_name = tgt_mask_name
        self.memory_mask_name = memory_mask_name
        self.arity = arity

    def __call__(self):
        encoder_name = f"{self.output_name}__encoder"
        encoder = TransformerEncoder(
            self.input_dim,
            self.num_heads,
            self.dim_feedforward,
            encoder_name,
            self.src_name,
            self.src_mask_name,
            self.arity,
        )
        decoder = TransformerDecoder(
            self.input_dim,
            self.num_heads,
            self.dim_feedforward,
            self.output_name,
            self.tgt_name,
            encoder_name,
            self.tgt_mask_name,
            self.memory_mask_name,
            self.arity,
        )
        return [*encoder(), *decoder()]
