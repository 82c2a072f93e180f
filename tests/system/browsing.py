"""What the browser tests share: where screenshots go, the window sizes, a window signed in
by keyboard, and a look at a page at every size."""

from __future__ import annotations

from pathlib import Path
from typing import Any

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
DESKTOP = {"width": 1280, "height": 800}
TABLET = {"width": 768, "height": 1024}
PHONE = {"width": 390, "height": 844}
VIEWPORTS = {"desktop": DESKTOP, "tablet": TABLET, "phone": PHONE}
SERIOUS = ("serious", "critical")


def watched(page: Any) -> Any:
    """The page, gathering its console errors and uncaught exceptions in `page.problems`."""
    problems: list[str] = []
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.problems = problems
    return page


def keyboard_sign_in(page: Any, token: str) -> None:
    """Sign in from the start page with the keyboard only."""
    page.goto("/")
    # The token field takes the focus by itself; the browser gives it when it next renders,
    # which on a busy machine can come after the page has loaded: wait for it, then type.
    page.wait_for_function("document.activeElement && document.activeElement.name === 'token'")
    page.keyboard.type(token)
    page.keyboard.press("Enter")


def axe_window(browser: Any, base_url: str) -> tuple[Any, Any]:
    """A new desktop window and its page, open to axe: axe is injected as a script, which
    the pages' own CSP would (rightly) refuse."""
    context = browser.new_context(viewport=DESKTOP, base_url=base_url, bypass_csp=True)
    return context, context.new_page()


def axe_problems(page: Any, impacts: tuple[str, ...] | None = None) -> list[str]:
    """What axe finds on the page, as "id: help"; only those of these impacts if given."""
    # Imported here: the system conftest imports this module, and the tests without a
    # browser must still run (and the browser tests skip) where Playwright is missing.
    from axe_playwright_python.sync_playwright import Axe

    violations = Axe().run(page).response["violations"]
    return [
        f"{v['id']}: {v['help']}" for v in violations if impacts is None or v["impact"] in impacts
    ]


def scrolls_sideways(page: Any) -> bool:
    """Whether the page is wider than the window."""
    return bool(page.evaluate("document.documentElement.scrollWidth > window.innerWidth"))


# Each word of the chosen elements' text whose glyphs land on more than one line.
BROKEN_WORDS = """(selector) => {
  const broken = [];
  for (const element of document.querySelectorAll(selector)) {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const match of node.data.matchAll(/\\S+/g)) {
        const range = document.createRange();
        range.setStart(node, match.index);
        range.setEnd(node, match.index + match[0].length);
        const tops = new Set([...range.getClientRects()].map((r) => Math.round(r.top)));
        if (tops.size > 1) broken.push(match[0]);
      }
    }
  }
  return broken;
}"""


def words_broken(page: Any, selector: str = "th, button, .button") -> list[str]:
    """The words of table headers and buttons (or of `selector`) split across two lines."""
    return list(page.evaluate(BROKEN_WORDS, selector))


class EverySize:
    """Screenshots of page after page at every size, noting by "page (size)" what axe finds
    (of these impacts; all if None), whether the page scrolls sideways and the words of
    table headers and buttons split across lines."""

    def __init__(self, folder: Path, impacts: tuple[str, ...] | None = SERIOUS) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        self.folder = folder
        self.impacts = impacts
        self.found: dict[str, list[str]] = {}

    def __call__(self, page: Any, name: str, axe: bool = True) -> None:
        """Look at the page at each size (axe too unless told not to), then back at desktop."""
        for size, viewport in VIEWPORTS.items():
            page.set_viewport_size(viewport)
            page.screenshot(path=str(self.folder / f"{name}-{size}.png"), full_page=True)
            problems = ["the page scrolls sideways"] if scrolls_sideways(page) else []
            problems += [f"split across lines: {word}" for word in words_broken(page)]
            if axe:
                problems += axe_problems(page, self.impacts)
            self.found[f"{name} ({size})"] = problems
        page.set_viewport_size(DESKTOP)

    def problems(self) -> dict[str, list[str]]:
        """What was found, by page and size, leaving out the clean ones."""
        return {name: found for name, found in self.found.items() if found}
