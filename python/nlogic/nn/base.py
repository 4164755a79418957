"""The base of nlogic's module library (PyNeuraLogic 0.9.2's
`neuralogic.nn.module.module.Module`).

A module is a parametrised piece of template: constructing it records the
names and sizes, calling it returns the list of rules, facts and relation
settings it stands for. `Template.add_module(module)` (PyNeuraLogic's
`model.add_module`) and `template += module()` add them.
"""

from abc import ABC, abstractmethod
from typing import Any

__all__ = ["Module"]


class Module(ABC):
    """A template-building block: `module()` is its list of template
    entries (rules, facts, `R.h / n | [...]` relation settings)."""

    @abstractmethod
    def __call__(self) -> list[Any]: ...
