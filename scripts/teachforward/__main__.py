import sys

from teachforward.cli import main

sys.exit(main())
