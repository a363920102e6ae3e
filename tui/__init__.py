"""yuelan's terminal front end: the Textual browser and the line-mode CLI."""

import os

FRAMES_A_SECOND = 120
"""Textual's cap on screen updates, which it reads once, from TEXTUAL_FPS, when it is first imported
(its default is 60). An answer ready just after a frame waited for the next one: at 60, up to 16.7 ms
of a keystroke's time to results. A frame is sent only when something changed, so a higher cap costs
nothing while nothing moves. A TEXTUAL_FPS the user set wins."""

os.environ.setdefault("TEXTUAL_FPS", str(FRAMES_A_SECOND))
