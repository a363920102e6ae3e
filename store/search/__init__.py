"""Search: the suffix-array index in parts, the query language, ranking, snippets and pinyin."""
