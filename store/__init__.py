"""yuelan's headless core: decoding, cleaning, script folding, extraction, search and storage.

Nothing in this package imports textual; the terminal front end lives in `tui`.
"""
