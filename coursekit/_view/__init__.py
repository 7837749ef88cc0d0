"""Presentation: draws results (``coursekit.results``) and failure pictures (``coursekit._judge.picture``).

* ``scale``: time axes shared by every drawing (nice steps, ticks, colours, seconds as text);
* ``text``: the terminal and plain-text drawing (rich);
* ``html``: the HTML page with SVG timelines;
* ``terminal``: the rich views of the ``course`` commands.

Pure functions of their inputs: nothing here grades, runs or records anything.
"""
