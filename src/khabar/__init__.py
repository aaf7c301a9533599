"""khabar (خبر): Arabic news into events, stories and timelines.

The one public API is :class:`khabar.engine.Engine`; the CLI, REST and web layers call it.
"""

from khabar.engine import Engine
from khabar.errors import KhabarError
from khabar.model import Article, RawArticle, Rejection

__version__ = "0.1.0"
__all__ = ["Article", "Engine", "KhabarError", "RawArticle", "Rejection", "__version__"]
