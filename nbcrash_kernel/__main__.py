"""``python -m nbcrash_kernel`` runs the ``nbcrash`` command."""
import sys

from .cli import main

sys.exit(main())
