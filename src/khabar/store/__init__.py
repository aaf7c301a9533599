"""Storage: the only package that knows SQL."""

from khabar.store.db import ArticleFilter, Store, WriteCounts

__all__ = ["ArticleFilter", "Store", "WriteCounts"]
