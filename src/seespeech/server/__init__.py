"""The seespeech server: OpenAI-compatible audio and image endpoints, speech → picture jobs,
the legacy endpoints of the API it replaces, and a web page. ``seespeech serve`` runs it."""

from seespeech.server.app import create_app
from seespeech.server.settings import Settings

__all__ = ["Settings", "create_app"]
