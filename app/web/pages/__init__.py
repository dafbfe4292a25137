"""Server-rendered pages (Jinja) with HTMX partials; every form also works without JavaScript."""
