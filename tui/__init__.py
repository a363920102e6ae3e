"""yuelan's terminal front end: the Textual browser and the line-mode CLI."""
