"""site/index.html: send visitors to their browser's language, or let them choose."""
from __future__ import annotations

import html
import json

from teachforward.content.model import Course


def landing_page(course: Course) -> str:
    english = course.source.strings
    items = "\n".join(
        f'      <li><a href="{lang.code}/" hreflang="{lang.code}" lang="{lang.code}" dir="{lang.direction}">'
        f'{html.escape(lang.name)}</a></li>'
        for lang in course.languages)
    codes = json.dumps([lang.code for lang in course.languages])
    return f"""<!doctype html>
<html lang="{course.source_language}">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width,initial-scale=1">
  <title>{html.escape(english.get("course_name", "Teach Forward"))}</title>
  <style>
    body {{ font-family: system-ui, sans-serif; margin: 0; padding: 2rem 1rem; color: #1a1a1a; background: #fff; }}
    main {{ max-width: 32rem; margin: 0 auto; }}
    h1 {{ font-size: 1.6rem; }}
    ul {{ list-style: none; padding: 0; }}
    li a {{ display: block; padding: .8rem 1rem; margin: .4rem 0; border: 1px solid #b0b7c3; border-radius: .4rem;
            color: #0b3d91; text-decoration: none; font-size: 1.1rem; }}
    li a:hover, li a:focus {{ background: #eef3fb; }}
  </style>
</head>
<body>
  <main>
    <h1>{html.escape(english.get("course_name", "Teach Forward"))}</h1>
    <p>{html.escape(english.get("course_tagline", ""))}</p>
    <h2>{html.escape(english.get("choose_language", "Choose your language"))}</h2>
    <ul>
{items}
    </ul>
  </main>
  <script>
    // Go to the first language the browser asks for, unless the visitor came here to choose.
    (function () {{
      if (location.hash === "#choose") return;
      var available = {codes};
      var wanted = navigator.languages || [navigator.language || ""];
      for (var i = 0; i < wanted.length; i++) {{
        var code = wanted[i];
        var match = available.indexOf(code) >= 0 ? code :
          available.filter(function (a) {{ return a.split("-")[0] === code.split("-")[0]; }})[0];
        if (match) {{ location.replace(match + "/"); return; }}
      }}
    }})();
  </script>
</body>
</html>
"""
