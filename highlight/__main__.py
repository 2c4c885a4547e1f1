import gc
import sys

gc.disable()  # while the package is imported: cli.main turns it on again unless the process is one build
from . import cli

cli.COLLECTOR_HELD[0] = True
code = cli.main()
if cli.ONE_BUILD[0]:  # one build of this command line: its end without the interpreter's teardown
    cli.end_process(code)
sys.exit(code)
