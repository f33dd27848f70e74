"""Reading a ruleset file: positioned YAML, section readers, versions, the loader, the specs.

Imports only ``language`` and ``law`` (below it).
"""
