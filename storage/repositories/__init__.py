"""Repositories: the only code that touches SQLAlchemy sessions. One module per aggregate."""
