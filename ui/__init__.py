"""EcoDesk desktop app (PySide6). Thin: every action calls :mod:`ecodesk`."""
