"""nlogic: differentiable logic programs (NeuraLogic templates) compiled with
MLIR, with PyNeuraLogic's Python API.

    from nlogic import R, V, C, F, Model, Settings, Dataset, Sample, SGD

    model = Model()
    model += R.xor[1, 8] <= R.xy[8, 2]
    model += R.xor / 0 | [F.tanh]
    model.build(Settings(optimizer=SGD(lr=0.1)))
    data = model.build_dataset(Dataset([Sample(R.xor[0], [R.xy[[0, 0]]]), ...]))
    model.train(data, epochs=300)
    model.test(data)              # outputs per query
    model.parameters()            # {weight name: numpy array}

The language objects render NeuraLogic text (`Template.to_text()`), which
the native runtime (`nlogic._native`, built with the C++ project) imports
into nlogic IR (`to_mlir()`), grounds, compiles and trains.
"""

from .dataset import Dataset, FileDataset, Sample
from .functions import Aggregation, Combination, F, Transformation
from .language import (C, Const, R, Relation, V, Var)
from .metadata import Metadata
from .model import BuiltDataset, Model
from .optim import MSE, SGD, Adam, CrossEntropy, SoftEntropy
from .settings import Settings
from .template import Template
from .tensor_dataset import Data, TensorDataset

try:
    from ._native import NLogicError
except ImportError:  # the pure-Python layer works without the runtime
    class NLogicError(ValueError):
        """An error reported by nlogic's runtime (file:line:col: ...)."""

__all__ = [
    "R", "Relation", "V", "Var", "C", "Const", "F", "Transformation",
    "Combination", "Aggregation", "Metadata", "Template", "Model",
    "BuiltDataset", "Settings", "Dataset", "Sample", "FileDataset", "Data",
    "TensorDataset", "SGD",
    "Adam", "MSE", "CrossEntropy", "SoftEntropy", "NLogicError",
]
