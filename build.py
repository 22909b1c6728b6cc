"""`python build.py [OPTIONS]` is `lessonpack build [OPTIONS]` for this project."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "src"))

from lessonpack.cli import main  # noqa: E402

if __name__ == "__main__":
    main(["build", "--project", str(Path(__file__).resolve().parent), *sys.argv[1:]])
