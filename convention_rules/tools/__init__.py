"""Tools over the Python API: case files and their pytest plugin, the demo, generated docs.

Imports the registry and every stage below it, never the command line.
"""
