"""Typed queries by area; ``get_*`` raises NotFound, ``find_*`` returns None."""
