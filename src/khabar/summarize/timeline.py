"""Stories and events as readable timelines: plain text for a terminal, Markdown for
reports. Pure functions over the dictionaries the Engine returns (no I/O, no logic of their
own beyond layout). Article text is data: Markdown special characters in headlines are
escaped so a headline cannot inject links or formatting.
"""

from __future__ import annotations

import re
from typing import Any

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>#|!])")


def md_escape(text: str | None) -> str:
    return _MD_SPECIAL.sub(r"\\\1", (text or "").replace("\n", " "))


def when(event: dict[str, Any]) -> str:
    """An event's date as a reader should see it: the day, a range, an estimate, or
    ``undated``."""
    date = event.get("date")
    if not date:
        return "undated"
    first, last = event.get("first_date"), event.get("last_date")
    shown = f"{first} – {last}" if first and last and first != last else date
    return f"~{shown} (estimated)" if event.get("precision") == "estimated" else shown


def span(story: dict[str, Any]) -> str:
    first, last = story.get("first_date"), story.get("last_date")
    if not first:
        return "undated"
    return first if first == last else f"{first} – {last}"


def story_text(story: dict[str, Any]) -> list[str]:
    """A story and its timeline, one event per line (for terminals and ``make run``)."""
    lines = [f"{story['title']}",
             f"  {story['id']} · {span(story)} · {len(story['events'])} events · "
             f"{story['articles']} articles · {len(story['outlets'])} outlets"]
    if story.get("entities"):
        lines.append("  " + "، ".join(e["name"] for e in story["entities"]))
    for event in story["events"]:
        lines.append(f"    {when(event):<12} {event['title']}  "
                     f"[{len(event['article_ids'])} articles]")
    return lines


def story_markdown(story: dict[str, Any]) -> str:
    """One story as Markdown: title, span, timeline table, entities, quotes, history."""
    out = [f"## {md_escape(story['title'])}", "",
           f"`{story['id']}` · {span(story)} · {len(story['events'])} events · "
           f"{story['articles']} articles · outlets: "
           f"{md_escape(', '.join(story['outlets'])) or '—'}", "",
           "| date | event | outlets | articles |", "|---|---|---|---|"]
    for event in story["events"]:
        outlets = event.get("outlets")
        shown = md_escape(", ".join(outlets)) if outlets is not None else ""
        out.append(f"| {when(event)} | {md_escape(event['title'])} | {shown} | "
                   f"{len(event['article_ids'])} |")
    if story.get("entities"):
        out += ["", "**Entities:** " + ", ".join(
            f"{md_escape(e['name'])} ({e['articles']})" for e in story["entities"])]
    if story.get("quotes"):
        out += ["", "**Quotes:**", ""]
        out += [f"- {md_escape(q['speaker'])}: «{md_escape(q['text'])}» "
                f"({md_escape(q['outlet'])}, {q['published_at'] or 'undated'}"
                f"{', ' + str(q['sources']) + ' sources' if q['sources'] > 1 else ''})"
                for q in story["quotes"]]
    if story.get("history"):
        out += ["", "**History:**", ""]
        out += [f"- {h['at'][:10]} {h['action']} `{h['other_id']}` "
                f"{'into' if h['story_id'] != story['id'] else 'with'} `{h['story_id']}`: "
                f"{md_escape(h['reason'])}" for h in story["history"]]
    return "\n".join(out) + "\n"


def events_markdown(events: list[dict[str, Any]]) -> str:
    out = ["| date | event | articles | outlets | story |", "|---|---|---|---|---|"]
    out += [f"| {when(e)} | {md_escape(e['title'])} | {e['articles']} | {e['outlets']} | "
            f"`{e['story_id']}` |" for e in events]
    return "\n".join(out) + "\n"
