"""The staff dashboard's reports: plain functions of a :class:`~.period.Period` that read the
daily roll-ups (and, for generation and the coach, those apps' own rows) and return
dataclasses. Each report gives its figures as :class:`~.tables.Table` values, so the page and
its CSV exports show the same numbers."""
