import sys

from scsim.cli import main

sys.exit(main())
