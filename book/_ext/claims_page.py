"""The book's Claims page: every claim of every lesson, its verdict on the suite's seeds, and its record.

``book/claims.md`` holds one directive, ``{claims-ledger}``. When the book is written, the directive
becomes, for each lesson (in the order of ``_toc.yml``), a table made from

* what the lesson's :class:`augreg.claims.Ledger` glued as ``claims_record`` when it ran on the suite's
  base seed (myst-nb writes every notebook's glue to ``_build/jupyter_execute/<page>.glue.json``,
  also when the outputs came from the execution cache), and
* the committed records ``records/pilots/<slug>.json`` and ``records/heldout/<slug>.json``: how many
  pilot runs of the current code each claim rests on, on how many held-out bases the claim *as declared
  now* held, and the held-out failures of earlier versions (a failure stays in the record).

The page is re-written on every build (the records and the lessons' outputs can change without the page's
source changing).
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from docutils import nodes
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

PAGE = "book/claims"
LESSONS = "lessons/"


class claims_placeholder(nodes.General, nodes.Element):
    """Where the tables go, filled in after every page has been read."""


class ClaimsLedgerDirective(SphinxDirective):
    has_content = False

    def run(self):
        return [claims_placeholder()]


def _lesson_docs(env) -> list[str]:
    """The lesson pages in the order of the table of contents."""
    order = {doc: i for i, doc in enumerate(env.toctree_includes.get(env.config.root_doc, []))}
    docs = [d for d in env.found_docs if d.startswith(LESSONS)]
    # the toc's parts list the lessons in order; fall back on their NN prefix
    return sorted(docs, key=lambda d: (order.get(d, 10_000), d))


def _read_json(path: Path) -> dict:
    return json.loads(path.read_text("utf8")) if path.is_file() else {}


def _held_out_cell(claim_id: str, row: dict, runs: list, fingerprint: str) -> str:
    """'held on k of m' for the claim as declared now on the current code, and earlier failures."""
    if row["family"] not in ("primary", "fact"):
        return "not asserted"
    current = [
        r["claims"][claim_id]
        for r in runs
        if r.get("fingerprint") == fingerprint
        and claim_id in r.get("claims", {})
        and r["claims"][claim_id].get("declaration") == row.get("declaration")
    ]
    held = sum(c["verdict"] == "holds" for c in current)
    text = f"held on {held} of {len(current)}" if current else "not yet run"
    earlier = [
        r["base"]
        for r in runs
        if claim_id in r.get("claims", {})
        and r["claims"][claim_id]["verdict"] != "holds"
        and (r.get("fingerprint") != fingerprint or r["claims"][claim_id].get("declaration") != row.get("declaration"))
    ]
    if earlier:
        text += f"; an earlier version failed on base {', '.join(str(b) for b in sorted(set(earlier)))}"
    return html.escape(text)


class FillClaimsPage(SphinxPostTransform):
    default_priority = 6  # after myst-nb's pending glue references (5)

    def run(self, **kwargs):
        placeholders = list(self.document.findall(claims_placeholder))
        if not placeholders:
            return
        from augreg.claims import claims_rows, html_table

        env = self.env
        glue_folder = Path(env.mystnb_config.output_folder)
        root = Path(env.srcdir)
        blocks = []
        totals = {"lessons": 0, "primary": 0, "held": 0, "claims": 0}
        for doc in _lesson_docs(env):
            slug = doc.split("/", 1)[1]
            glue = _read_json(glue_folder / f"{doc}.glue.json")
            text = glue.get("claims_record", {}).get("data", {}).get("text/plain")
            record = json.loads(text) if text else None
            title = html.escape(env.titles[doc].astext()) if doc in env.titles else slug
            link = self.app.builder.get_relative_uri(PAGE, doc)
            if not record:
                blocks.append(f'<h2>{title}</h2><p><a href="{link}">{title}</a> declares no claims ledger.</p>')
                continue
            pilots = _read_json(root / "records" / "pilots" / f"{slug}.json").get("runs", [])
            held_out = _read_json(root / "records" / "heldout" / f"{slug}.json").get("runs", [])
            fingerprint = record["fingerprint"]
            current_pilots = [r for r in pilots if r.get("fingerprint") == fingerprint]
            rows = []
            for claim_id, row in record["claims"].items():
                row = dict(row, id=claim_id)
                rows.append(row)
            rows = claims_rows(rows)
            table = html_table(
                rows,
                extra_columns=[
                    (
                        "pilot runs",
                        lambda d, runs=current_pilots: str(sum(d["id"] in r.get("claims", {}) for r in runs)),
                    ),
                    ("held-out bases", lambda d, runs=held_out, fp=fingerprint: _held_out_cell(d["id"], d, runs, fp)),
                ],
            )
            primary = [d for d in rows if d["family"] == "primary"]
            totals["lessons"] += 1
            totals["primary"] += len(primary)
            totals["claims"] += len(rows)
            heading = (
                f'<h2 id="claims-{html.escape(slug)}"><a href="{link}">{title}</a></h2>'
                f"<p>{len(primary)} primary claims, judged on {html.escape(_level(primary))} "
                f"intervals (Bonferroni over the lesson's primary family); code fingerprint "
                f"<code>{html.escape(fingerprint)}</code>, {len(current_pilots)} pilot runs and "
                f"{len({r['base'] for r in held_out if r.get('fingerprint') == fingerprint})} "
                f"held-out bases on it.</p>"
            )
            blocks.append(heading + table)
        summary = (
            f"<p>{totals['claims']} claims in {totals['lessons']} lessons, {totals['primary']} of them primary.</p>"
        )
        raw = nodes.raw("", summary + "\n".join(blocks), format="html")
        for placeholder in placeholders:
            placeholder.replace_self(raw.deepcopy())


def _level(primary_rows) -> str:
    from augreg.claims import format_level

    levels = sorted({format_level(d["level"]) for d in primary_rows})
    return ", ".join(levels) if levels else "no"


def _always_rewrite(app, env, added, changed, removed):
    return [PAGE] if PAGE in env.found_docs else []


def setup(app):
    app.add_node(claims_placeholder, html=(lambda self, node: None, lambda self, node: None))
    app.add_directive("claims-ledger", ClaimsLedgerDirective)
    app.add_post_transform(FillClaimsPage)
    app.connect("env-get-outdated", _always_rewrite)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
