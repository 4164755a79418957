"""nlogic's module library: PyNeuraLogic 0.9.2's `neuralogic.nn.module`
(the same class names, constructor arguments, defaults and rules).

    from nlogic import Model
    from nlogic.nn import GCNConv        # or: from nlogic.nn.module import GCNConv

    model = Model()
    model.add_module(GCNConv(2, 3, "h1", "h0", "edge", add_self_loops=False))
    model += GCNConv(3, 1, "h2", "h1", "edge", add_self_loops=False)()

A module is a callable that returns its rules, facts and relation settings;
`Model.add_module` adds them. The text they render equals PyNeuraLogic's,
except where nlogic's text differs for every construct (`k(Y)^T` for
`transpose(k(Y))`, `slice(rows=[0, 2])` for `slice(rows=[0, 2], cols=...)`,
`duplicit_grounding=true` for `duplicate_grounding=True`, no `[]` after a
rule without settings; see `nlogic.language`).

Where nlogic's importer cannot read a module's rules:

- self-loops (`GCNConv`, `SGConv`, `APPNPConv` by default, `GATv2Conv`'s
  `add_self_loops=True`) are the fact `<1.0> <output>__edge(I, I).`, and a
  fact cannot contain a variable;
- the degree normalization (`normalize=True`, the default of `GCNConv`,
  `SGConv`, `APPNPConv`, `TAGConv`) has the rule
  `<output>__edge_count(I, J) :- <edge>(X, J).`, unsafe for the importer
  (no body atom binds I); so these import with `normalize=False` and
  without self-loops (`GATv2Conv` with `add_self_loops=False`);
- `PositionalEncoding(arity > 1)` writes facts with variables too;
- a parametrised activation (`activation=F.leaky_relu(0.2)`) cannot be a
  relation setting: building the rules raises ValueError.

Files: `base` (Module, with the constructor and output-setting helpers
every module uses), `dense` (Linear, MLP), `pooling`, `positional`,
`recurrent` (RNN, LSTM, GRU and their cells, RvNN), `attention`
(Attention, MultiheadAttention), `transformer`, `gnn` (one-hop
convolutions), `propagation` (SGConv, TAGConv, APPNPConv), `conv` (the
graph convolutions' shared bases, `Conv` and `NormalizedConv`),
`normalization` (their shared self-loop and degree rules), `meta`
(MetaConv, MAGNN), `module` (PyNeuraLogic's import path).
"""

from .module import *  # noqa: F401,F403
from .module import __all__
