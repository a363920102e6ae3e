"""Derived views over the stored meetings that the tree alone cannot answer: who took part (`people`)
and which provinces meet each other (`pairs`). Until meetings are grouped, a report is its own meeting:
a meeting's id is its document's id."""
