"""argmap: check, score and test Argdown argument maps."""

__version__ = "0.1.0"

__all__ = ["__version__"]
