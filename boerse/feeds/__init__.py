"""Public feeds of the Börse: every published date as an iCalendar subscription and the
newest offers as an Atom feed, both filtered like the list page; and the structured data
(schema.org JSON-LD, OpenGraph) that lets search engines and shared links show offers."""
