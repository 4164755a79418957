"""PyNeuraLogic's import path for the module library:
`from nlogic.nn.module import GCNConv` as `from neuralogic.nn.module import
GCNConv`. The same names as `nlogic.nn`."""

from .attention import Attention, MultiheadAttention
from .base import Module
from .dense import MLP, Linear
from .gnn import GATv2Conv, GCNConv, GENConv, GINConv, GINEConv, ResGatedGraphConv, RGCNConv, SAGEConv
from .meta import MAGNNLinear, MAGNNMean, MetaConv
from .pooling import AvgPooling, MaxPooling, Pooling, SumPooling
from .positional import PositionalEncoding
from .propagation import APPNPConv, SGConv, TAGConv
from .recurrent import GRU, LSTM, RNN, RvNN
from .transformer import Transformer, TransformerDecoder, TransformerEncoder

__all__ = [
    "APPNPConv",
    "GATv2Conv",
    "GCNConv",
    "GINConv",
    "SAGEConv",
    "ResGatedGraphConv",
    "RGCNConv",
    "SGConv",
    "TAGConv",
    "GINEConv",
    "GENConv",
    "PositionalEncoding",
    "MLP",
    "Linear",
    "RNN",
    "GRU",
    "LSTM",
    "RvNN",
    "Pooling",
    "AvgPooling",
    "MaxPooling",
    "SumPooling",
    "Transformer",
    "TransformerEncoder",
    "TransformerDecoder",
    "Attention",
    "MultiheadAttention",
    "MetaConv",
    "MAGNNLinear",
    "MAGNNMean",
    "Module",
]
