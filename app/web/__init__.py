"""Controllers: HTML pages, HTMX partials and the JSON API. Input parsing and output shaping only."""
