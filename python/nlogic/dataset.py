"""Datasets as PyNeuraLogic builds them in Python (`Dataset`, `Sample`) or
reads them from files (`FileDataset`): rendered to NeuraLogic example and
query text, which the native runtime loads and grounds."""

import os


class Sample:
    """One learning sample: its query (or queries; a valued relation such as
    `R.xor[1]` carries its target) and the example facts it is grounded
    on."""

    def __init__(self, query, example=None):
        self.query = query
        if example is None:
            example = []
        self.example = list(example) if isinstance(example, (list, tuple)) \
            else [example]

    def queries(self):
        return self.query if isinstance(self.query, (list, tuple)) \
            else [self.query]

    def __str__(self):
        return ", ".join(str(q) for q in self.queries())

    def __len__(self):
        return len(self.example)


def _statement(items):
    text = ", ".join(str(i).rstrip(".") for i in items)
    return text + "."


class Dataset:
    """A list of samples; `examples_text()` and `queries_text()` give the
    NeuraLogic text the runtime reads (one line per sample)."""

    def __init__(self, samples=None):
        if samples is None:
            samples = []
        self.samples = samples if isinstance(samples, list) else [samples]

    def add_sample(self, sample):
        self.samples.append(sample)
        return self

    def add_samples(self, samples):
        self.samples.extend(samples)
        return self

    def add(self, query, example):
        self.samples.append(Sample(query, example))
        return self

    def __getitem__(self, i):
        return self.samples[i]

    def __len__(self):
        return len(self.samples)

    def examples_text(self):
        # A sample without facts still needs a statement: an empty example.
        return "\n".join(_statement(s.example) if s.example else "."
                         for s in self.samples) + "\n"

    def queries_text(self):
        return "\n".join(_statement(s.queries()) for s in self.samples) + "\n"


class FileDataset:
    """NeuraLogic example and query files, as PyNeuraLogic's FileDataset."""

    def __init__(self, examples_file=None, queries_file=None):
        if examples_file is None:
            raise ValueError("FileDataset needs an examples_file")
        self.examples_file = os.fspath(examples_file)
        self.queries_file = (os.fspath(queries_file)
                             if queries_file is not None else None)

    def examples_text(self):
        with open(self.examples_file) as f:
            return f.read()

    def queries_text(self):
        if self.queries_file is None:
            return None
        with open(self.queries_file) as f:
            return f.read()
