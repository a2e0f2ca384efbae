"""What each page shows: the index's plain data made into the values templates and JSON twins
render (the third step of a view: parse the request, ask the index, hand the result here).
No module here reads a request or the index."""
