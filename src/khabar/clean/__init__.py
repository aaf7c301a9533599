"""Cleaning: from a RawArticle to an Article (main text, metadata), language, boilerplate."""
