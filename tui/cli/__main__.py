"""`python -m tui.cli`: the `yuelan` command without the installed script."""

import sys

from tui.cli import main

sys.exit(main())
