"""``python -m designkit.i18n build [--check]``: see :mod:`designkit.i18n.build`."""
import sys

from .build import main

sys.exit(main())
