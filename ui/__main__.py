"""``python -m ui`` and the PyInstaller entry point."""

import multiprocessing

if __name__ == "__main__":
    multiprocessing.freeze_support()  # collect uses worker processes; a frozen app must dispatch them
    from ui.app import main

    raise SystemExit(main())
