import sys

from benchmarks.zoo.run import main

sys.exit(main())
