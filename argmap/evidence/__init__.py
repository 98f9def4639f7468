"""The evidence checker: every quote verified against its frozen source.

See docs/evidence.md. Modules: `paths` (safe resolution), `sources` (reading and
headers), `normalize`, `file_skeleton` (a file's normalised text, built lazily),
`match`, `classify`, `check` (orchestration), `fix`, `doublecount`, `fetch`.
"""
