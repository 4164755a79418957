"""The base of nlogic's module library (PyNeuraLogic 0.9.2's
`neuralogic.nn.module.module.Module`).

A module is a parametrised piece of template: constructing it records the
names and sizes, calling it returns the list of rules, facts and relation
settings it stands for. `Template.add_module(module)` (PyNeuraLogic's
`model.add_module`) and `template += module()` add them.

Besides `Module`, the pieces every file of the library uses: `terms` (the
variables `X0, X1, ...`) and, on `Module`, `_keep` (a constructor's
arguments as attributes), `_weight` and `_output_setting`.
"""

from abc import ABC, abstractmethod
from typing import Any

from ..language import R
from ..metadata import Metadata

__all__ = ["Module"]


def terms(count: int) -> list[str]:
    """The variables `X0, ..., X<count-1>` (none when count <= 0)."""
    return [f"X{i}" for i in range(count)]


class Module(ABC):
    """A template-building block: `module()` is its list of template
    entries (rules, facts, `R.h / n | [...]` relation settings)."""

    @abstractmethod
    def __call__(self) -> list[Any]: ...

    def _keep(self, arguments: dict[str, Any]) -> None:
        """Every constructor argument as the attribute of its name:
        `self._keep(locals())` first thing in `__init__`."""
        for name, value in arguments.items():
            if name not in ("self", "__class__"):
                setattr(self, name, value)

    @property
    def _weight(self) -> tuple[int, int]:
        """The shape of a layer's weight, `(out_channels, in_channels)`."""
        return self.out_channels, self.in_channels

    def _output_setting(self, arity: int = 1):
        """`<output>/<arity> [transformation=<activation>]`."""
        return R.get(self.output_name) / arity | Metadata(transformation=self.activation)
