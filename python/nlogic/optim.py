"""Optimizers and losses, named as in PyNeuraLogic (neuralogic.nn.optim,
neuralogic.nn.loss). nlogic's engines implement SGD and Adam, and the MSE,
cross-entropy and soft-entropy losses."""


class Optimizer:
    name = ""

    def __init__(self, lr=0.01):
        self.lr = float(lr)

    def __repr__(self):
        return f"{type(self).__name__}(lr={self.lr})"


class SGD(Optimizer):
    name = "sgd"

    def __init__(self, lr=0.1):
        super().__init__(lr)


class Adam(Optimizer):
    name = "adam"

    def __init__(self, lr=0.001):
        super().__init__(lr)


class ErrorFunction:
    name = ""

    def __repr__(self):
        return f"{type(self).__name__}()"


class MSE(ErrorFunction):
    name = "mse"


class CrossEntropy(ErrorFunction):
    name = "crossentropy"


class SoftEntropy(ErrorFunction):
    name = "softentropy"
