"""`argmap lsp`: a language server for Argdown maps (stdio, pygls).

Data flows one way, as in the rest of argmap: editor text -> `analysis.Analysis`
(parse, then the rules `argmap check` runs, evidence included, under the map's
configuration) -> the features (`navigate`, `hover`, `complete`, `outline`,
`actions`), which only read an analysis and answer in `lsprotocol` types.
`server` wires them to pygls. pygls is an optional dependency (the `lsp` extra):
nothing outside this package imports it, so `check` and `score` never load it.
"""
