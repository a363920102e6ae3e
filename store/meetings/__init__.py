"""Meetings: the reports of one event grouped as one record (issue 13).

`model` holds the record every view reads; `reports` is what grouping reads of a report, `shingles`
how much text two share, `grouping` the rules that decide, `combine` a meeting made of its reports, and
`kept` the grouping and the user's corrections as the store keeps them.
"""
