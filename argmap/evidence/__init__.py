"""The evidence checker: every quote verified against its frozen source.

See docs/evidence.md. Modules: `paths` (safe resolution), `sources` (reading and
headers), `normalize`, `match`, `classify`, `check` (orchestration), `fix`,
`doublecount`, `fetch`.
"""
