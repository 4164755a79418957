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
from .base import Module

__all__ = ["RNNCell", "RNN", "LSTMCell", "LSTM", "GRUCell", "GRU", "RvNN"]


def _terms(arity: int) -> list[str]:
    return [f"X{i}" for i in range(arity)]


def _initial_state(output_name: str, hidden_0_name: str, arity: int):
    """`<output>(X0, 0) :- <hidden_0>(X0).`: the state before the first step."""
    terms = _terms(arity)
    return R.get(output_name)([*terms, 0]) <= R.get(hidden_0_name)(terms)


class RNNCell(Module):
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
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.output_name = output_name
        self.input_name = input_name
        self.hidden_input_name = hidden_input_name
        self.activation = activation
        self.arity = arity

    def __call__(self):
        terms = _terms(self.arity)
        rule = R.get(self.output_name)([*terms, V.T]) <= (
            R.get(self.input_name)([*terms, V.T])[self.hidden_size, self.input_size],
            R.get(self.hidden_input_name)([*terms, V.Z])[self.hidden_size, self.hidden_size],
            R.special.next(V.Z, V.T),
        )
        return [rule | Metadata(transformation=self.activation)]


class RNN(Module):
    """A one-layer RNN: the initial state rule and an `RNNCell` whose hidden
    input is its own output."""

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
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.output_name = output_name
        self.input_name = input_name
        self.hidden_0_name = hidden_0_name
        self.activation = activation
        self.arity = arity

    def __call__(self):
        cell = RNNCell(
            self.input_size,
            self.hidden_size,
            self.output_name,
            self.input_name,
            self.output_name,
            self.activation,
            self.arity,
        )
        return [_initial_state(self.output_name, self.hidden_0_name, self.arity), *cell()]


class LSTMCell(Module):
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
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.output_name = output_name
        self.input_name = input_name
        self.hidden_input_name = hidden_input_name
        self.cell_state_0_name = cell_state_0_name
        self.arity = arity

    def _gate(self, name: str, activation: TransformationFunction) -> RNNCell:
        return RNNCell(
            self.input_size, self.hidden_size, name, self.input_name, self.hidden_input_name, activation, self.arity
        )

    def __call__(self):
        terms = _terms(self.arity)
        z_terms = [*terms, V.Z]
        t_terms = [*terms, V.T]

        i_name = f"{self.output_name}__i"
        f_name = f"{self.output_name}__f"
        g_name = f"{self.output_name}__n"
        o_name = f"{self.output_name}__o"
        c_left_name = f"{self.output_name}__left"
        c_right_name = f"{self.output_name}__right"
        c_name = f"{self.output_name}__c"

        next_rel = R.special.next(V.Z, V.T)

        c_left = R.get(c_left_name)(t_terms) <= (R.get(f_name)(t_terms), R.get(c_name)(z_terms), next_rel)
        c_right = R.get(c_right_name)(t_terms) <= (R.get(i_name)(t_terms), R.get(g_name)(t_terms))
        c = R.get(c_name)(t_terms) <= (R.get(c_left_name)(t_terms), R.get(c_right_name)(t_terms))
        h = R.get(self.output_name)(t_terms) <= (R.get(o_name)(t_terms), Transformation.TANH(R.get(c_name)(t_terms)))

        return [
            *self._gate(i_name, Transformation.SIGMOID)(),
            *self._gate(f_name, Transformation.SIGMOID)(),
            *self._gate(o_name, Transformation.SIGMOID)(),
            *self._gate(g_name, Transformation.TANH)(),
            c_left | [Combination.ELPRODUCT],
            c_right | [Combination.ELPRODUCT],
            c,
            R.get(c_name)([*terms, 0]) <= R.get(self.cell_state_0_name)(terms),
            h | [Combination.ELPRODUCT],
        ]


class LSTM(Module):
    """A one-layer LSTM: the initial state rule and an `LSTMCell` whose
    hidden input is its own output."""

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
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.output_name = output_name
        self.input_name = input_name
        self.hidden_0_name = hidden_0_name
        self.cell_state_0_name = cell_state_0_name
        self.arity = arity

    def __call__(self):
        cell = LSTMCell(
            self.input_size,
            self.hidden_size,
            self.output_name,
            self.input_name,
            self.output_name,
            self.cell_state_0_name,
            self.arity,
        )
        return [_initial_state(self.output_name, self.hidden_0_name, self.arity), *cell()]


class GRUCell(Module):
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
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.output_name = output_name
        self.input_name = input_name
        self.hidden_input_name = hidden_input_name
        self.arity = arity

    def __call__(self):
        terms = _terms(self.arity)
        p_terms = [*terms, V.Z]
        h_terms = [*terms, V.T]

        r_name = f"{self.output_name}__r"
        z_name = f"{self.output_name}__z"
        n_name = f"{self.output_name}__n"
        n_helper_name = f"{self.output_name}__n_helper"
        h_left_name = f"{self.output_name}__left"
        h_right_name = f"{self.output_name}__right"

        next_rel = R.special.next(V.Z, V.T)
        gate_args = (self.input_name, self.hidden_input_name, Transformation.SIGMOID, self.arity)
        r = RNNCell(self.input_size, self.hidden_size, r_name, *gate_args)
        z = RNNCell(self.input_size, self.hidden_size, z_name, *gate_args)

        h_weight = self.hidden_size, self.hidden_size
        n_helper = R.get(n_helper_name)(h_terms) <= (
            R.get(r_name)(h_terms),
            R.get(self.hidden_input_name)(p_terms)[h_weight],
            next_rel,
        )
        i_weight = self.hidden_size, self.input_size
        n = R.get(n_name)(h_terms) <= (R.get(self.input_name)(h_terms)[i_weight], R.get(n_helper_name)(h_terms))

        h_left = R.get(h_left_name)(h_terms) <= (-R.get(z_name)(h_terms), R.get(n_name)(h_terms))
        h_right = R.get(h_right_name)(h_terms) <= (
            R.get(z_name)(h_terms),
            R.get(self.hidden_input_name)(p_terms),
            next_rel,
        )
        h = R.get(self.output_name)(h_terms) <= (R.get(h_left_name)(h_terms), R.get(h_right_name)(h_terms))

        return [
            *r(),
            *z(),
            n_helper | [Combination.ELPRODUCT],
            n | [Transformation.TANH],
            h_left | [Combination.ELPRODUCT],
            h_right | [Combination.ELPRODUCT],
            h,
        ]


class GRU(Module):
    """A one-layer GRU: the initial state rule and a `GRUCell` whose hidden
    input is its own output. (`next_name` is accepted, as PyNeuraLogic
    accepts it, and unused: steps are related by `@next`.)"""

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
        self.input_size = input_size
        self.hidden_size = hidden_size
        self.output_name = output_name
        self.input_name = input_name
        self.hidden_0_name = hidden_0_name
        self.arity = arity
        self.next_name = next_name

    def __call__(self):
        cell = GRUCell(
            self.input_size, self.hidden_size, self.output_name, self.input_name, self.output_name, self.arity
        )
        return [_initial_state(self.output_name, self.hidden_0_name, self.arity), *cell()]


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
        self.input_size = input_size
        self.output_name = output_name
        self.input_name = input_name
        self.parent_map_name = parent_map_name
        self.max_children = max_children
        self.activation = activation
        self.aggregation = aggregation
        self.arity = arity

    def __call__(self):
        terms = _terms(self.arity)
        head_terms = [*terms, V.P]
        output_rel = R.get(self.output_name)
        parent_map_rel = R.get(self.parent_map_name)
        metadata = Metadata(transformation=self.activation, aggregation=self.aggregation)

        rules = [(output_rel(head_terms) <= (R.get(self.input_name)(head_terms), parent_map_rel(V.P))) | metadata]
        body = []
        parent_terms = [V.P]
        for i in range(1, self.max_children + 1):
            child = f"C{i}"
            weight = f"{self.output_name}__rvnn_{i}"
            body.append(output_rel([*terms, child])[weight : self.input_size, self.input_size])
            parent_terms.append(child)
            rules.append((output_rel(head_terms) <= (*body, parent_map_rel(*parent_terms))) | metadata)
        return rules
