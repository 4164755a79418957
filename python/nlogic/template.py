"""A template: the rules, facts and relation settings of a NeuraLogic
program, as PyNeuraLogic 0.9.2's `Model` holds them (PyNeuraLogic before 0.9
called it `Template`; both names are this class here).

    template = Template()
    template += R.xor[1, 8] <= R.xy[8, 2]
    template += R.xor / 0 | [F.tanh]
    template.to_text()   # '{1, 8} xor :- {8, 2} xy.\\nxor/0 [transformation=tanh]\\n'
    template.to_mlir()   # the nlogic IR (needs the compiled extension nlogic._native)

`to_text()` writes every entry as the NeuraLogic text nlogic's importer
reads (see `language` for the forms); it raises ValueError for constructs the
importer has no form for (typed terms).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from typing import Any, Callable, Union

from .language import (
    BaseRelation,
    PredicateMetadata,
    RenderContext,
    Rule,
    check_importable,
    render_statement,
)

__all__ = ["Template", "Model", "TemplateEntry"]

TemplateEntry = Union[BaseRelation, Rule, PredicateMetadata]


class Template:
    """Rules, facts (`R.edge(1, 2)`, valued `R.embed(C.a)[3]`) and relation
    settings (`R.h / 1 | [...]`), in the order they were added.

    `model_file`: a NeuraLogic template file whose text comes first in
    `to_text()` (PyNeuraLogic's `Model(model_file=...)` uses the file alone).
    Its text is copied, so an `import` in it is resolved by whoever reads
    `to_text()`, not relative to the file.
    """

    def __init__(self, *, model_file: str | os.PathLike | None = None):
        self._model: list[TemplateEntry] = []
        self._model_file = None if model_file is None else os.fspath(model_file)

    # -- building ---------------------------------------------------------------

    def add_rule(self, rule: TemplateEntry) -> None:
        """Adds one rule, fact or relation setting."""
        self.add_rules([rule])

    def add_rules(self, rules: Iterable[TemplateEntry]) -> None:
        """Adds rules, facts and relation settings."""
        self._model.extend(rules)

    def add_module(self, module: Callable[[], Iterable[TemplateEntry]]) -> None:
        """Adds the rules a module expands to (`module()`, as PyNeuraLogic's
        `neuralogic.nn.module` modules do)."""
        self.add_rules(module())

    def remove_duplicates(self) -> None:
        """Drops entries whose text repeats an earlier one."""
        seen: set[str] = set()
        unique: list[TemplateEntry] = []
        for entry in self._model:
            text = str(entry)
            if text not in seen:
                seen.add(text)
                unique.append(entry)
        self._model = unique

    def __iadd__(self, other: TemplateEntry | Iterable[TemplateEntry]) -> "Template":
        if isinstance(other, Iterable) and not isinstance(other, (str, bytes)):
            self._model.extend(other)
        else:
            self._model.append(other)
        return self

    # -- the list of entries ------------------------------------------------------

    def __getitem__(self, item: int) -> TemplateEntry:
        return self._model[item]

    def __delitem__(self, key: int) -> None:
        self._model.pop(key)

    def __setitem__(self, key: int, value: TemplateEntry) -> None:
        if isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
            raise TypeError(
                f"Cannot set model item to {type(value).__name__}; use add_rules() for multiple entries"
            )
        self._model[key] = value

    def __len__(self) -> int:
        return len(self._model)

    def __iter__(self):
        return iter(self._model)

    def __copy__(self) -> "Template":
        template = type(self)()
        template._model_file = self._model_file
        template._model = list(self._model)
        return template

    def clone(self) -> "Template":
        return self.__copy__()

    # -- text and IR ------------------------------------------------------------

    def to_text(self) -> str:
        """The whole template as NeuraLogic text (one statement per line,
        auxiliary statements of body expressions before their rule)."""
        lines: list[str] = []
        ctx = RenderContext.for_entries(self._model)
        if self._model_file is not None:
            with open(self._model_file) as f:
                text = f.read()
            if text.strip():
                lines.append(text.rstrip("\n"))
                # Auxiliary relations must not take a name the file uses.
                ctx.used |= set(re.findall(r"[a-z][A-Za-z0-9_-]*", text))
        for entry in self._model:
            check_importable(entry)
            lines.extend(render_statement(entry, ctx))
        return "\n".join(lines) + "\n" if lines else ""

    def __str__(self) -> str:
        return self.to_text().rstrip("\n")

    def __repr__(self) -> str:
        return self.__str__()

    def to_mlir(self) -> Any:
        """The template imported into nlogic's IR by the compiled extension
        (`nlogic._native.import_template` on `to_text()`)."""
        try:
            from . import _native
        except ImportError as e:
            raise ImportError(
                "nlogic's compiled extension (nlogic._native) is not available, so Template.to_mlir() cannot "
                "import the template; build the `nlogic-python` target and use the package in build/python "
                "(Template.to_text() gives the NeuraLogic text without it)"
            ) from e
        return _native.import_template(self.to_text())

    def draw(self, filename: str | os.PathLike | None = None):
        """The template drawn as a Graphviz digraph (relations as boxes,
        rules as ellipses, edges labelled with weights and terms). Without
        `filename`, returns the DOT text; with one, writes it: `.dot` as
        text, other suffixes (`.svg`, `.png`, `.pdf`) through Graphviz's
        `dot` program."""
        from . import _native

        return write_drawing(_native.Session(self.to_text()).template_dot(),
                             filename)


def write_drawing(dot: str, filename: str | os.PathLike | None) -> str | None:
    """Returns `dot`, or writes it to `filename` (rendered by Graphviz for
    suffixes other than .dot)."""
    if filename is None:
        return dot
    path = os.fspath(filename)
    suffix = os.path.splitext(path)[1].lstrip(".").lower() or "dot"
    if suffix in ("dot", "gv"):
        with open(path, "w") as f:
            f.write(dot)
        return None
    import shutil
    import subprocess

    program = shutil.which("dot")
    if program is None:
        raise RuntimeError(f"drawing {path} needs Graphviz's `dot` program; "
                           "write a .dot file instead")
    subprocess.run([program, f"-T{suffix}", "-o", path], input=dot,
                   text=True, check=True)
    return None


Model = Template
