import gc
import sys

gc.disable()  # while the package is imported: cli.main turns it on again unless the process is one build
from . import cli

cli.COLLECTOR_HELD[0] = True
sys.exit(cli.main())
