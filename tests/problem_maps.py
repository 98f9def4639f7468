"""Broken maps for the tests of the error banner, the problem list and the missing nodes
(render, serve, browser), each with what a reader must be told about it, derived by hand
from the text (line numbers count from 1, the `===` frontmatter line included)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ProblemMap:
    text: str
    errors: int  # error-level findings the page must count
    first: tuple[str, int]  # the first error: (code, line)
    first_node: str  # the node the first error is about: "s:Title" or "a:Title"
    missing: frozenset[str]  # node keys drawn as missing (used, never defined)


# Seven errors of six kinds: a premise without a kind tag (V215, twice), a conclusion with no
# `----` above it (P106), a credence outside [0, 1] (V204), a statement used but never
# defined (G301), a data block that is not YAML (P105), an argument used but never defined
# (G302).
CATS = ProblemMap(
    text="""[Cats Are Good Pets]: Cats make good pets for busy people.
  + <Low Maintenance>
  - <Allergies>

<Low Maintenance>

(1) [Cats Self Groom]: Cats groom themselves. {credence: 0.9}
(2) [Less Work]: Less grooming means less work. {inference: 0.8}
  +> [Cats Are Good Pets]

<Allergies>

(1) [Allergy Rates]: About 10 percent of people are allergic to cats. {credence: 1.7}
----
(2) [Some Cannot Keep Cats]: Some people cannot keep cats. {inference: 0.7}
  -> [Cats Are Good Pets]
  +> [Dog Alternative]

[Dog Alternative Two]: Dogs instead. {credence: [1, 2}
  - <Ghost Argument>
""",
    errors=7,
    first=("V215", 7),
    first_node="s:Cats Self Groom",
    missing=frozenset({"s:Dog Alternative", "a:Ghost Argument"}),
)

# Syntax is fine and every premise is tagged: the only errors are two statements named by
# a relation and never written (G301), the kind the real map has next to its thesis.
TEA = ProblemMap(
    text="""===
model:
    mode: loose
===

[Tea Keeps You Awake]: A cup of tea in the evening delays sleep. #thesis
  + <Caffeine Content>
  - <Small Dose>

<Caffeine Content>: Tea has caffeine.

(1) [Caffeine In Tea]: A black tea holds 40-70 mg caffeine. #assumption {reason: "labels", credence: 0.9}
(2) [Caffeine Delays Sleep]: 40 mg caffeine delays sleep. #mechanism {reason: "trials", credence: 0.7}
----
(3) [Tea Delays Sleep]: Tea delays sleep. {reason: "follows", inference: 0.8}
  +> [Tea Keeps You Awake]
  +> [Evening Alertness]

<Small Dose>: The dose is small.

(1) [Dose Is Small]: An evening cup is a small dose. #assumption {reason: "guess", credence: 0.5}
----
(2) [Too Little To Matter]: Too little caffeine to matter. {reason: "guess", inference: 0.6}
  -> [Tea Keeps You Awake]
  +> [Herbal Alternative]
""",
    errors=2,
    first=("G301", 17),
    first_node="s:Evening Alertness",
    missing=frozenset({"s:Evening Alertness", "s:Herbal Alternative"}),
)

# A quote in Markdown as papers converted to Markdown carry it: emphasis, a list, code,
# a link, and raw HTML that must arrive as text (a script, an image with a handler).
QUOTED_EVIDENCE = """# Findings

The study found that **regular walking** lowers *resting* heart rate:

- by 4 beats per minute on average;
- after `12` weeks.

See [the trial](https://example.org/trial) <script>alert("x")</script> <img src=x onerror=alert(1)>.
"""

QUOTED_MAP = """===
model:
    mode: loose
===

[Walking Helps]: Regular walking improves heart health. #thesis
  + [Heart Rate Drops]

[Heart Rate Drops]: Walking lowers resting heart rate.
    [evidence](docs/study.md#L3-L6)
    > The study found that **regular walking** lowers *resting* heart rate:
    > - by 4 beats per minute on average;
    > - after `12` weeks.
    {reason: "a trial", credence: 0.8}
  + [Raw Html Quote]

[Raw Html Quote]: The trial is linked.
    [evidence](docs/study.md#L8-L8)
    > See [the trial](https://example.org/trial) <script>alert("x")</script> <img src=x onerror=alert(1)>.
    {reason: "the paper", credence: 0.6}
"""
