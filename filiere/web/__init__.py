"""The analyst workbench: FastAPI app over one workspace (``create_app``)."""

from filiere.web.app import create_app

__all__ = ["create_app"]
