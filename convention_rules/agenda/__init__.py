"""An agreement's calendar: the dated obligations and deadlines it sets in a period.

``events`` derives them from a ruleset (its term, its date constants marked
``event:``, the date values its decisions mark ``calendar:``, decided on the
facts given); ``ical`` writes them as an iCalendar file.
"""
