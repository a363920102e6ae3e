"""Extraction: which provinces, officials and date a cleaned report names, read against the gazetteer."""
