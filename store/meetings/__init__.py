"""Meetings: the reports of one event grouped as one record (issue 13).

`model` holds the record every view and command reads; grouping decides which reports share one.
"""
