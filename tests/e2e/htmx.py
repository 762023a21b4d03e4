"""Waiting for htmx in a browser test.

htmx swaps new content in, then wires its hx-* attributes only when the swap settles (20 ms later), removing the
`htmx-added` class as it does. A test that picks an option in a just-swapped select inside those 20 ms fires a change
nobody listens to; a person never acts that fast, a test does. Wait for this before acting on swapped content.
"""

from playwright.sync_api import expect

BUSY = ".htmx-added, .htmx-settling, .htmx-swapping, .htmx-request"


def settled(page) -> None:
    """No request in flight and every swapped element wired up."""
    expect(page.locator(BUSY)).to_have_count(0)
