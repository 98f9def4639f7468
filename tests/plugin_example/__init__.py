"""A third-party plugin as argmap sees one: a rule family and a semantics, registered
through entry points (`argmap.rules`, `argmap.semantics`) by tests/test_plugins.py."""
