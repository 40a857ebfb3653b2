"""Book plumbing: .ipynb downloads for MyST notebooks, and no duplicated scripts.

1. Offer the .ipynb of every MyST-Markdown notebook in the page's download menu.

sphinx-book-theme adds the ``.ipynb`` download of a text notebook only when a
launch service (Binder, Colab, ...) is configured. This course has no public
launch service by default, yet learners should still download the notebook, so
this extension copies the executed notebook next to the page sources and tells
the theme about it, exactly as the theme would with launch buttons on.

2. Drop repeated ``<script>`` entries. sphinx-thebe registers its inline
configuration (``const THEBE_JS_URL = ...``) after the HTML builder has started,
so Sphinx 7.4 emits it twice on every page, and the browser reports
"Identifier 'THEBE_JS_URL' has already been declared" on every page load.
"""

from __future__ import annotations

from pathlib import Path
from shutil import copy2


def _add_ipynb_download(app, pagename, templatename, context, doctree):
    if doctree is None or not context.get("sourcename", "").endswith((".md", ".md.txt")):
        return
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not executed.is_file():  # not a notebook page
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    copy2(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def _drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    scripts, seen = context.get("script_files"), set()
    if not scripts:
        return
    unique = []
    for script in scripts:
        attributes = getattr(script, "attributes", {}) or {}
        filename = getattr(script, "filename", script) or ""  # inline scripts: None or ""
        key = (str(filename), tuple(sorted((k, str(v)) for k, v in attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", _drop_duplicate_scripts, priority=999)  # after the others
    # before sphinx-book-theme builds the header buttons (default priority 500)
    app.connect("html-page-context", _add_ipynb_download, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
