"""The expression language: types, typed AST, parser, type checker, builtin functions, unparser.

Imports only ``law`` (below it).
"""
