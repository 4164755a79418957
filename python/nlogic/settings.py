"""Settings of building and training, as PyNeuraLogic's `Settings`."""

from .optim import MSE, Adam


class Settings:
    """`optimizer` (SGD / Adam with its learning rate), `error_function`
    (MSE / CrossEntropy / SoftEntropy), `epochs` (the default of
    `Model.train`), `seed` (weight initialisation: the same seed gives the
    same weights on both engines), `engine` ("compiled", the default, or
    "reference", the oracle) and `fast_math` (the compiled kernels'
    reductions may reassociate: vectorised, equal to rounding). PyNeuraLogic's grounding switches
    (`iso_value_compression`, `chain_pruning`) are accepted and ignored:
    nlogic never changes the network it was given."""

    def __init__(self, *, optimizer=None, error_function=None, epochs=1,
                 seed=1, engine="compiled", fast_math=False, initializer=None,
                 iso_value_compression=False, chain_pruning=False, **_ignored):
        self.optimizer = optimizer if optimizer is not None else Adam()
        self.error_function = (error_function if error_function is not None
                               else MSE())
        self.epochs = epochs
        self.seed = seed
        self.engine = engine
        self.fast_math = fast_math
        self.initializer = initializer

    def __repr__(self):
        return (f"Settings(optimizer={self.optimizer!r}, "
                f"error_function={self.error_function!r}, "
                f"epochs={self.epochs}, seed={self.seed}, "
                f"engine={self.engine!r})")
