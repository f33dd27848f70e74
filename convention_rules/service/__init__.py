"""The HTTP API (``convention-rules serve``, optional extra ``[http]``): FastAPI over uvicorn.

The top of the pipeline beside the command line: it imports the stages below; only the CLI's
``serve`` command imports it.
"""
