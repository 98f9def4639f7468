"""argmap: check, score and test Argdown argument maps."""

from argmap.version import __version__

__all__ = ["__version__", "score"]


def __getattr__(name: str) -> object:
    # `argmap.score(...)` loads the scoring engine (and numpy) only when first used.
    if name == "score":
        from argmap.engine.api import score

        return score
    raise AttributeError(f"module 'argmap' has no attribute {name!r}")
