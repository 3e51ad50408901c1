"""Digit Descent's engine: pure NumPy, no Qt."""

from .config import PRESETS, TrainConfig, parse_layers, preset
from .data import DataSplit, Dataset, load
from .errors import (DataError, DigitDescentError, DivergedError, ModelFileError,
                     SessionFileError)
from .model_io import load_model, save_model
from .network import Network
from .session import Session
from .trainer import EpochReport, Trainer, make_trainer

__all__ = ["PRESETS", "TrainConfig", "parse_layers", "preset", "DataSplit", "Dataset", "load",
           "DataError", "DigitDescentError", "DivergedError", "ModelFileError",
           "SessionFileError", "Network",
           "load_model", "save_model",
           "EpochReport", "Session", "Trainer", "make_trainer"]
