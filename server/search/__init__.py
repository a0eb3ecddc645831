"""Offline full-text search over the guide, the coping tools and the help page.

Pure logic: no Flask. build turns the typed Library into index data (pages,
sections and the tuning), served as /search-index.json; rank searches that data
on the server (for /search without JavaScript) and frontend/js/search-model.mjs
searches it in the browser with exactly the same steps, so both rank alike.
Only code is mirrored: every number both sides use travels in the data
(tuning). words holds the tokenising, stemming and edit distance both need.
"""
