"""The scoring engine behind `argmap score`.

A map becomes a `ScoreGraph` (`mapping.py`; a `.bag` file becomes one through
`qbaf.py`), a gradual semantics (`semantics/`) gives every claim a strength, the
Monte Carlo layer (`montecarlo.py`) propagates the uncertainty of the inputs, and
`explain.py`, `cruxes.py` and `whatif.py` answer "why", "what matters" and "what
if". `api.py` ties them together as `argmap.score(...)`.

Nothing here is imported by `argmap check` unless a coherence rule needs scores:
numpy is imported inside the modules that compute.
"""

DEFAULT_SEMANTICS = "logodds"  # named once: every default of a `semantics` parameter reads it
