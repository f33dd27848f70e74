"""The command line ``convention-rules``: a thin ``main(argv)`` over a testable ``run``.

The top of the pipeline: it may import every stage; nothing imports it.
"""
