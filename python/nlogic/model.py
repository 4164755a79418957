"""Building, training and evaluating a template with the native runtime, in
the shape of PyNeuraLogic 0.9's `Model`: `build(settings)`,
`build_dataset(dataset)`, `train(data, epochs)`, `test(data)`,
`parameters()`, `state_dict()` / `load_state_dict()`."""

from .settings import Settings
from .template import Template


def _native():
    from . import _native as native
    return native


def _plain(value):
    """0-d arrays (scalar outputs) as floats, others as numpy arrays."""
    return float(value) if getattr(value, "ndim", 1) == 0 else value


class BuiltDataset:
    """A dataset loaded and grounded for one built model."""

    def __init__(self, model, dataset):
        self.model = model
        self.dataset = dataset
        self.batch_size = 1

    def __len__(self):
        return self.model._session.num_samples()

    def queries(self):
        return self.model._session.queries()


class Model(Template):
    """A template that can be built into a native model and trained.

    `build(settings)` compiles the template (errors raise NLogicError with
    `file:line:col`); `build_dataset(dataset)` loads and grounds the samples
    (a `Dataset` of `Sample`s or a `FileDataset`); `train` runs epochs of
    the optimizer and returns the mean loss of the last epoch; `test`
    returns every query's output (a float for scalars, a numpy array
    otherwise)."""

    def __init__(self, *, model_file=None):
        super().__init__(model_file=model_file)
        self._session = None
        self._built_dataset = None
        self.settings = None

    def build(self, settings=None):
        self.settings = settings if settings is not None else Settings()
        # Diagnostics name the file when the text starts with it.
        name = self._model_file or "template.txt"
        self._session = _native().Session(self.to_text(), name)
        self._session.initialize(self.settings.seed)
        return self

    def _require(self):
        if self._session is None:
            raise RuntimeError("build the model first: model.build(settings)")
        return self._session

    def build_dataset(self, dataset, batch_size=1):
        session = self._require()
        queries = dataset.queries_text()
        examples_name = getattr(dataset, "examples_file", None) or "examples"
        queries_name = getattr(dataset, "queries_file", None) or "queries"
        session.load(dataset.examples_text(), queries, self.settings.engine,
                     examples_name, queries_name, self.settings.fast_math)
        built = BuiltDataset(self, dataset)
        built.batch_size = batch_size
        self._built_dataset = built
        return built

    def _data(self, data):
        if data is None or isinstance(data, BuiltDataset):
            if data is None and self._built_dataset is None:
                raise RuntimeError("build a dataset first: "
                                   "model.build_dataset(dataset)")
            built = data or self._built_dataset
            if built is not self._built_dataset:
                # The session holds one dataset at a time.
                self.build_dataset(built.dataset, built.batch_size)
            return self._built_dataset
        return self.build_dataset(data)

    def train(self, data=None, epochs=None, on_epoch=None):
        built = self._data(data)
        s = self.settings
        metrics = self._require().train(
            epochs=s.epochs if epochs is None else epochs,
            optimizer=s.optimizer.name, lr=s.optimizer.lr,
            loss=s.error_function.name, batch_size=built.batch_size,
            on_epoch=on_epoch)
        return metrics["loss"]

    def test(self, data=None):
        self._data(data)
        outputs = self._require().evaluate()
        return [_plain(o) for sample in outputs for o in sample]

    def __call__(self, data=None):
        return self.test(data)

    def parameters(self):
        """{weight name: numpy array} (copies)."""
        session = self._require()
        return {name: session.get_weight(name)
                for name in session.weight_names()}

    def state_dict(self):
        return {"weights": self.parameters()}

    def load_state_dict(self, state):
        session = self._require()
        for name, value in state.get("weights", state).items():
            session.set_weight(name, value)

    def reset_parameters(self):
        self._require().initialize(self.settings.seed)

    def draw_network(self, sample=0, filename=None):
        """The ground network of one sample of the built dataset, as
        PyNeuraLogic draws neurons (DOT text, or a file as `draw` writes)."""
        from .template import write_drawing

        return write_drawing(self._require().network_dot(sample), filename)

    def save(self, path):
        """Writes the weights as JSON (the CLI's --save format)."""
        self._require().save(str(path))

    def load(self, path):
        self._require().load_weights(str(path))

    def to_mlir(self):
        return _native().import_template(self.to_text(),
                                         self._model_file or "template.txt")
