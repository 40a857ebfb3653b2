"""Small display helpers for results tables."""

from __future__ import annotations

from collections.abc import Sequence


def markdown_table(header: Sequence[str], rows: Sequence[Sequence[object]]):
    """Return a Markdown table that Jupyter and the book render as a table.

    Args:
        header: column names.
        rows: one sequence of cells per row, each as long as ``header``; cells
            are shown with ``str()``, so format numbers before passing them
            (e.g. ``f"{accuracy:.1%}"``).

    Returns:
        An ``IPython.display.Markdown`` object (display it, or make it the last
        expression of a cell).
    """
    from IPython.display import Markdown

    header = [str(h) for h in header]
    if not header:
        raise ValueError("header must name at least one column")
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    for index, row in enumerate(rows):
        cells = [str(cell).replace("|", "\\|") for cell in row]
        if len(cells) != len(header):
            raise ValueError(f"row {index} has {len(cells)} cells but the header has {len(header)} columns")
        lines.append("| " + " | ".join(cells) + " |")
    return Markdown("\n".join(lines))
