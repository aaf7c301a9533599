"""Duplicates: exact copies, near copies and shortened or extended copies of a text."""
