"""Pure rules of the product: no web framework, no database.

Everything here is plain Python so the rules that matter most (deadlines, transitions) are
tested in milliseconds and reused by services, the web layer and the command line alike.
"""
