"""Text utilities: Arabic normalisation, tokens and sentences."""
