"""Small maps that several test modules work out by hand (one copy, so the hand values agree)."""

# <A> supports [T]; <U> undercuts <A>. By hand: P = 0.9, inference 0.8, undercut strength
# D = 0.7 x 0.9 = 0.63, so C = 0.9 x 0.8 x (1 - 0.63) = 0.2664.
ONE_SUPPORT = """[T]: thesis.
  + <A>

<A>

(1) [P]: p. {credence: 0.9}
----
(2) [C]: c. {inference: 0.8}
  +> [T]
"""

UNDERCUT = (
    ONE_SUPPORT
    + """
<U>

(1) [Q]: q. {credence: 0.7}
----
(2) [D]: d. {inference: 0.9}
  _> <A>
"""
)
