"""What an htmx request looks like in a test, and whether it got a table row back (a list's row answering in place)."""

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def is_row(response) -> bool:
    html = response.content.decode()
    return response.status_code == 200 and html.lstrip().startswith("<tr") and "<html" not in html
