"""Recurrent modules over a time (or tree) index: RNN, LSTM and GRU with
their cells, and RvNN (PyNeuraLogic 0.9.2's
`neuralogic.nn.module.general.{rnn,lstm,gru,rvnn}`), rule for rule.

A sequence is indexed by its last term: `<input>(X0, T)` for steps
T = 1, 2, ...; the state at step 0 is `<hidden_0>(X0)`; `@next(Z, T)`
relates a step to the one before it.
"""

from ..functions import Aggregation, AggregationFunction, Combination, Transformation, TransformationFunction
from ..language import R, V
from ..metadata import Metadata
from .base import Module, terms

__all__ = ["RNNCell", "RNN", "LSTMCell", "LSTM", "GRUCell", "GRU", "RvNN"]


def _initial_state(output_name: str, hidden_0_name: str, arity: int):
    """`<output>(X0, 0) :- <hidden_0>(X0).`: the state before the first step."""
    variables = terms(arity)
    return R.get(output_name)([*variables, 0]) <= R.get(hidden_0_name)(variables)


def _next():
    """`@next(Z, T)`: step Z comes right before step T."""
    return R.special.next(V.Z, V.T)


class _Cell(Module):
    """What the cells share: one step T of `<output>` from `<input>(X0, T)`
    and the previous state `<hidden_input>(X0, Z)` (the attributes
    `input_size`, `hidden_size`, `output_name`, `input_name`,
    `hidden_input_name`, `arity`), and gates that are `RNNCell`s."""

    def _at(self, step) -> list:
        """The terms `X0, ..., step` of a state or input at `step`."""
        return [*terms(self.arity), step]

    def _part(self, name: str):
        """The relation `<output>__<name>` (a gate or an intermediate)."""
        return R.get(f"{self.output_name}__{name}")

    def _input(self):
        """`{hidden, input} <input>(X0, T)`."""
        return R.get(self.input_name)(self._at(V.T))[self.hidden_size, self.input_size]

    def _previous(self, weighted: bool = True):
        """`<hidden_input>(X0, Z)`, with the weight {hidden, hidden} when `weighted`."""
        literal = R.get(self.hidden_input_name)(self._at(V.Z))
        return literal[self.hidden_size, self.hidden_size] if weighted else literal

    def _gate(self, name: str, activation: TransformationFunction) -> list:
        """The rules of the gate `<output>__<name>`, an `RNNCell` over this cell's input and hidden input."""
        gate = RNNCell(
            self.input_size,
            self.hidden_size,
            f"{self.output_name}__{name}",
            self.input_name,
            self.hidden_input_name,
            activation,
            self.arity,
        )
        return gate()


class _Layer(Module):
    """A one-layer network: the initial state rule and a cell (`_cell_class`
    with the extra arguments named by `_cell_arguments`) whose hidden
    input is its own output."""

    _cell_class: type
    _cell_arguments: tuple[str, ...]

    def __call__(self):
        extra = [getattr(self, name) for name in self._cell_arguments]
        cell = self._cell_class(
            self.input_size, self.hidden_size, self.output_name, self.input_name, self.output_name, *extra, self.arity
        )
        return [_initial_state(self.output_name, self.hidden_0_name, self.arity), *cell()]


class RNNCell(_Cell):
    """One step, `h_t = act(W_ih x_t + W_hh h_{t-1})`:

        <output>(X0, T) :- {hidden, input} <input>(X0, T),
                           {hidden, hidden} <hidden_input>(X0, Z), @next(Z, T). [transformation=<activation>]
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        output_name: str,
        input_name: str,
        hidden_input_name: str,
        activation: TransformationFunction = Transformation.TANH,
        arity: int = 1,
    ):
        self._keep(locals())

    def __call__(self):
        rule = R.get(self.output_name)(self._at(V.T)) <= (self._input(), self._previous(), _next())
        return [rule | Metadata(transformation=self.activation)]


class RNN(_Layer):
    """A one-layer RNN: the initial state rule and an `RNNCell` whose hidden
    input is its own output."""

    _cell_class, _cell_arguments = RNNCell, ("activation",)

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        output_name: str,
        input_name: str,
        hidden_0_name: str,
        activation: TransformationFunction = Transformation.TANH,
        arity: int = 1,
    ):
        self._keep(locals())


class LSTMCell(_Cell):
    """One LSTM step: gates i, f, o (sigmoid) and candidate g (tanh) as
    `RNNCell`s named `<output>__i`, `__f`, `__o`, `__n`;
    `c_t = f_t * c_{t-1} + i_t * g_t` (`<output>__left`, `__right`, `__c`,
    with `<output>__c(X0, 0)` from `<cell_state_0>`); `h_t = o_t * tanh(c_t)`.
    """

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        output_name: str,
        input_name: str,
        hidden_input_name: str,
        cell_state_0_name: str,
        arity: int = 1,
    ):
        self._keep(locals())

    def __call__(self):
        now, before = self._at(V.T), self._at(V.Z)
        i, f, g, o, c, c_left, c_right = (self._part(name) for name in ("i", "f", "n", "o", "c", "left", "right"))
        return [
            *self._gate("i", Transformation.SIGMOID),
            *self._gate("f", Transformation.SIGMOID),
            *self._gate("o", Transformation.SIGMOID),
            *self._gate("n", Transformation.TANH),
            (c_left(now) <= (f(now), c(before), _next())) | [Combination.ELPRODUCT],
            (c_right(now) <= (i(now), g(now))) | [Combination.ELPRODUCT],
            c(now) <= (c_left(now), c_right(now)),
            _initial_state(f"{self.output_name}__c", self.cell_state_0_name, self.arity),
            (R.get(self.output_name)(now) <= (o(now), Transformation.TANH(c(now)))) | [Combination.ELPRODUCT],
        ]


class LSTM(_Layer):
    """A one-layer LSTM: the initial state rule and an `LSTMCell` whose
    hidden input is its own output."""

    _cell_class, _cell_arguments = LSTMCell, ("cell_state_0_name",)

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        output_name: str,
        input_name: str,
        hidden_0_name: str,
        cell_state_0_name: str,
        arity: int = 1,
    ):
        self._keep(locals())


class GRUCell(_Cell):
    """One GRU step: gates r and z (sigmoid `RNNCell`s `<output>__r`,
    `__z`); `n_t = tanh(W_xn x_t + r_t * (W_hn h_{t-1}))` (`__n_helper`,
    `__n`); `h_t = (1 - z_t) * n_t + z_t * h_{t-1}` (`__left` with
    `reverse(z)`, `__right`, then their sum)."""

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        output_name: str,
        input_name: str,
        hidden_input_name: str,
        arity: int = 1,
    ):
        self._keep(locals())

    def __call__(self):
        now = self._at(V.T)
        r, z, n, n_helper, h_left, h_right = (self._part(name) for name in ("r", "z", "n", "n_helper", "left", "right"))
        return [
            *self._gate("r", Transformation.SIGMOID),
            *self._gate("z", Transformation.SIGMOID),
            (n_helper(now) <= (r(now), self._previous(), _next())) | [Combination.ELPRODUCT],
            (n(now) <= (self._input(), n_helper(now))) | [Transformation.TANH],
            (h_left(now) <= (-z(now), n(now))) | [Combination.ELPRODUCT],
            (h_right(now) <= (z(now), self._previous(weighted=False), _next())) | [Combination.ELPRODUCT],
            R.get(self.output_name)(now) <= (h_left(now), h_right(now)),
        ]


class GRU(_Layer):
    """A one-layer GRU: the initial state rule and a `GRUCell` whose hidden
    input is its own output. (`next_name` is accepted, as PyNeuraLogic
    accepts it, and unused: steps are related by `@next`.)"""

    _cell_class, _cell_arguments = GRUCell, ()

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        output_name: str,
        input_name: str,
        hidden_0_name: str,
        arity: int = 1,
        next_name: str = "_next__positive",
    ):
        self._keep(locals())


class RvNN(Module):
    """A recursive network over trees: `h_P = act(agg_k W_k h_{C_k})` over
    the children C_1..C_k of P (`<parent_map>(P, C1, ..., Ck)`, a leaf is
    `<parent_map>(P)` with its features `<input>(X0, P)`); one rule per
    number of children up to `max_children`, the weight of the k-th child
    shared (`$<output>__rvnn_<k>`)."""

    def __init__(
        self,
        input_size: int,
        output_name: str,
        input_name: str,
        parent_map_name: str,
        max_children: int = 2,
        activation: TransformationFunction = Transformation.TANH,
        aggregation: AggregationFunction = Aggregation.SUM,
        arity: int = 1,
    ):
        self._keep(locals())

    def __call__(self):
        variables = terms(self.arity)
        head_terms = [*variables, V.P]
        output_rel = R.get(self.output_name)
        parent_map_rel = R.get(self.parent_map_name)
        metadata = Metadata(transformation=self.activation, aggregation=self.aggregation)

        rules = [(output_rel(head_terms) <= (R.get(self.input_name)(head_terms), parent_map_rel(V.P))) | metadata]
        body = []
        parent_terms = [V.P]
        for i in range(1, self.max_children + 1):
            child = f"C{i}"
            weight = f"{self.output_name}__rvnn_{i}"
            body.append(output_rel([*variables, child])[weight : self.input_size, self.input_size])
            parent_terms.append(child)
            rules.append((output_rel(head_terms) <= (*body, parent_map_rel(*parent_terms))) | metadata)
        return rules
