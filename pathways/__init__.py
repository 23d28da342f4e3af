"""Pathways: the pure domain core (no Flask, no SQLAlchemy).

The framework model, loading and validating framework documents, the role graph, routes,
gaps, training recommendation, the Iriss checks and the ``pathways`` command.
"""

__version__ = "0.1.0"
