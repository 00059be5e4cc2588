"""handgrad's networks: neurons, layers and MLPs built on the `autograd`
engine, with the losses, optimizers and data helpers a course uses.

    from nn import MLP, SGD, half_sse
    model = MLP.from_weights([[[0.2, 0.1], [0.1, 0.2]], [[0.4, 0.1], [0.5, 0.3]]],
                             activations="sigmoid")
    loss = half_sse(model([0.2, 0.5]), [0.2, 0.7])

Training: `fit(model, X, y, loss="hinge", optimizer=SGD(...), epochs=100)`
returns a `History`; `nn.datasets` has small data sets to train on.
"""

from .activations import ACTIVATIONS, Activation, get_activation, leaky_relu
from .data import (
                     ConstantFeatureError,
                     DataLoader,
                     MinMaxScaler,
                     ZScoreScaler,
                     batches,
                     num_batches,
)
from .init import INITS
from .layers import MLP, Layer, Neuron
from .losses import (
                     LOSSES,
                     RESIDUAL_LOSSES,
                     bce_with_logits,
                     binary_cross_entropy,
                     cross_entropy,
                     half_sse,
                     hinge,
                     l2,
                     mae,
                     mse,
                     sae,
                     softmax_cross_entropy,
                     sse,
)
from . import datasets
from .callbacks import Callback, EarlyStopping, Recorder
from .history import History
from .metrics import accuracy
from .module import LayerSummary, Module, Summary
from .optim import SGD, Adam, AdamW, Optimizer
from .plots import plot_decision_boundary, plot_function, plot_history
from .schedules import CosineAnnealingLR, LinearLR, Schedule, StepLR
from .training import evaluate, fit

__all__ = [
    "Module", "Neuron", "Layer", "MLP", "Summary", "LayerSummary",
    "Activation", "ACTIVATIONS", "get_activation", "leaky_relu", "INITS",
    "LOSSES", "RESIDUAL_LOSSES", "mse", "sse", "half_sse", "mae", "sae", "binary_cross_entropy",
    "bce_with_logits", "cross_entropy", "softmax_cross_entropy", "hinge", "l2",
    "Optimizer", "SGD", "Adam", "AdamW", "Schedule", "StepLR", "LinearLR", "CosineAnnealingLR",
    "batches", "num_batches", "DataLoader", "MinMaxScaler", "ZScoreScaler", "ConstantFeatureError",
    "fit", "evaluate", "History", "accuracy", "Callback", "EarlyStopping", "Recorder",
    "datasets", "plot_decision_boundary", "plot_history", "plot_function",
]
