#!/usr/bin/env python3
"""Loads a ptsim HTML memory map in headless Chromium and checks it works.

Drives the browser over the DevTools protocol on --remote-debugging-pipe
(JSON messages ending in NUL: we write to its fd 3, it writes to its fd 4),
with no package beyond Python's own.  Checks: no script exception, console
error or network request; the expected region labels render; mappings,
physical ranges and the table-memory chart are drawn; a click on a mapping
shows its table walk; the log/linear toggle redraws the regions; then saves
a screenshot.  Exits non-zero with a message on the first failure, and
within --timeout seconds whatever the browser does.

  html_browser.py PAGE.html --screenshot OUT.png --region user --region vmalloc \
      [--diff] [--tables]
"""
import argparse
import base64
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time


class Failure(Exception):
    pass


def find_chromium():
    for c in (os.environ.get("PTSIM_CHROMIUM"), "/usr/lib/chromium/chromium",
              shutil.which("chromium"), shutil.which("chromium-browser")):
        if c and os.path.exists(c):
            return c
    raise Failure("no chromium: scripts/install-deps.sh installs Debian's chromium package")


class Browser:
    """One headless Chromium and one page session over the pipe."""

    def __init__(self, width, height):
        self.profile = tempfile.mkdtemp(prefix="ptsim-chromium-")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()
        # Out of the way of 3 and 4 until the child moves them there.
        hi_r2 = os.dup2(to_chrome_r, 100)
        hi_w2 = os.dup2(from_chrome_w, 101)
        os.close(to_chrome_r)
        os.close(from_chrome_w)

        def child_fds():
            os.dup2(hi_r2, 3)
            os.dup2(hi_w2, 4)

        args = [find_chromium(), "--headless", "--remote-debugging-pipe", "--disable-gpu",
                "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-sync", "--hide-scrollbars",
                "--disable-dev-shm-usage",  # containers often have a tiny /dev/shm
                "--user-data-dir=" + self.profile, f"--window-size={width},{height}", "about:blank"]
        if os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses to run as root with its sandbox
        self.log = open(os.path.join(self.profile, "chromium.log"), "wb")
        self.proc = subprocess.Popen(args, pass_fds=(3, 4), preexec_fn=child_fds,
                                     stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log)
        os.close(hi_r2)
        os.close(hi_w2)
        self.next_id = 0
        self.buffer = b""
        self.events = []
        self.session = None

    def log_tail(self, lines=20):
        self.log.flush()
        with open(self.log.name, "rb") as f:
            return b"\n".join(f.read().splitlines()[-lines:]).decode(errors="replace")

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait()
        for fd in (self.to_chrome, self.from_chrome):
            try:
                os.close(fd)
            except OSError:
                pass
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                raise Failure("the browser did not answer in time")
            ready, _, _ = select.select([self.from_chrome], [], [], left)
            if not ready:
                continue
            chunk = os.read(self.from_chrome, 1 << 20)
            if not chunk:
                raise Failure("the browser closed the DevTools pipe (crashed?)")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, params=None, browser_level=False, wait=30):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if self.session and not browser_level:
            msg["sessionId"] = self.session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + wait
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise Failure(f"{method}: {reply['error']}")
                return reply.get("result", {})
            if "method" in reply:
                self.events.append(reply)

    def wait_event(self, method, wait=30):
        deadline = time.monotonic() + wait
        for i, e in enumerate(self.events):
            if e["method"] == method:
                return self.events.pop(i)
        while True:
            e = self._read_message(deadline)
            if "method" in e:
                if e["method"] == method:
                    return e
                self.events.append(e)

    def evaluate(self, expression):
        r = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in r:
            raise Failure(f"evaluating {expression!r}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def click_at(self, x, y):
        for kind in ("mouseMoved", "mousePressed", "mouseReleased"):
            params = {"type": kind, "x": x, "y": y}
            if kind != "mouseMoved":
                params.update({"button": "left", "clickCount": 1})
            self.send("Input.dispatchMouseEvent", params)

    def click(self, selector):
        """Clicks the middle of the first element matching `selector` as a user would."""
        box = self.evaluate(f"""(() => {{
            const e = document.querySelector({json.dumps(selector)});
            if (!e) return null;
            e.scrollIntoView({{block: 'center', inline: 'center'}});
            const r = e.getBoundingClientRect();
            return {{x: r.left + r.width / 2, y: r.top + r.height / 2, w: r.width, h: r.height}};
        }})()""")
        if box is None:
            raise Failure(f"nothing matches {selector} to click")
        self.click_at(box["x"], box["y"])
        return box

    def errors(self):
        """Script exceptions, console errors, error log entries and network requests so far."""
        found = []
        for e in self.events:
            m, p = e["method"], e.get("params", {})
            if m == "Runtime.exceptionThrown":
                found.append("exception: " + json.dumps(p.get("exceptionDetails", {}))[:400])
            elif m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                found.append("console error: " + json.dumps(p.get("args", []))[:400])
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                found.append("log error: " + p["entry"].get("text", ""))
            elif m == "Network.requestWillBeSent":
                url = p.get("request", {}).get("url", "")
                if not url.startswith(("file:", "data:", "about:")):
                    found.append("network request: " + url)
        return found


def check(cond, message):
    if not cond:
        raise Failure(message)


def run(args):
    b = Browser(1600, 1300)
    try:
        target = b.send("Target.createTarget", {"url": "about:blank"}, browser_level=True)
        b.session = b.send("Target.attachToTarget", {"targetId": target["targetId"], "flatten": True},
                           browser_level=True)["sessionId"]
        for domain in ("Runtime", "Page", "Log", "Network"):
            b.send(domain + ".enable")
        b.send("Emulation.setDeviceMetricsOverride",
               {"width": 1600, "height": 1300, "deviceScaleFactor": 1, "mobile": False})
        url = "file://" + os.path.abspath(args.page)
        b.send("Page.navigate", {"url": url})
        b.wait_event("Page.loadEventFired")
        check(not b.errors(), f"errors while loading {url}: {b.errors()}")

        title = b.evaluate("document.title")
        check("memory map" in title or "memory maps" in title, f"title {title!r}")
        regions = b.evaluate("[...document.querySelectorAll('text.region-label')].map(e => e.dataset.region)")
        for name in args.region:
            check(name in regions, f"region {name!r} has no label; labels: {regions}")
        counts = b.evaluate("""({
            maps: document.querySelectorAll('section.map-panel').length,
            mappings: document.querySelectorAll('rect.mapping').length,
            ram: document.querySelectorAll('rect.phys[data-kind=ram]').length,
            tables: document.querySelectorAll('rect.phys[data-kind=table]').length,
            links: document.querySelectorAll('polygon.link').length,
            cost: document.querySelectorAll('rect.cost-bar').length,
            diff: document.querySelectorAll('rect.diff-range').length,
            kinds: [...new Set([...document.querySelectorAll('rect.kind-lane')].map(e => e.dataset.kind))]
        })""")
        print("page:", json.dumps(counts))
        check(counts["maps"] == (2 if args.diff else 1), f"map panels: {counts}")
        check(counts["mappings"] > 0 and counts["links"] > 0, f"no mappings drawn: {counts}")
        check(counts["ram"] > 0, f"no RAM in the physical column: {counts}")
        check(counts["cost"] > 0, f"no table-memory chart: {counts}")
        if args.tables:
            check(counts["tables"] > 0, f"no page-table pages in the physical column: {counts}")
        if args.diff:
            check(counts["diff"] > 0, f"no differing range highlighted: {counts}")
        for kind in args.kind:
            check(kind in counts["kinds"], f"no {kind} mappings drawn: {counts['kinds']}")

        # Click the tallest mapping: its walk must appear, ending in a leaf.
        b.evaluate("""(() => {
            const all = [...document.querySelectorAll('rect.mapping')];
            all.sort((a, b) => b.getBBox().height - a.getBBox().height);
            all[0].id = 'click-me';
        })()""")
        box = b.click("#click-me")
        check(box["h"] >= 1, f"the mapping to click is not visible: {box}")
        walk = b.evaluate("""[...document.querySelectorAll('#walk tr.walk-row')].map(
            r => [...r.cells].map(c => c.textContent))""")
        check(walk, "clicking a mapping showed no walk")
        check(walk[-1][4] in ("block", "page", "section", "supersection", "small page", "large page")
              or "page" in walk[-1][4] or "section" in walk[-1][4],
              f"the walk does not end in a leaf: {walk}")
        check(all(w[3].startswith("0x") and w[1].startswith("0x") for w in walk), f"walk rows: {walk}")
        selected = b.evaluate("document.querySelectorAll('.mapping.selected').length")
        check(selected == 1, f"{selected} mappings marked selected")
        print("walk:", json.dumps(walk))

        # log -> linear must move region boundaries.
        region = args.region[0]
        before = b.evaluate(f"document.querySelector('rect.region[data-region={json.dumps(region)}]')"
                            ".getAttribute('height')")
        b.click("#scale-toggle")
        check(b.evaluate("document.body.dataset.scale") == "linear", "the toggle did not switch to linear")
        after = b.evaluate(f"document.querySelector('rect.region[data-region={json.dumps(region)}]')"
                           ".getAttribute('height')")
        check(before != after, f"region {region} kept its height {before} across the toggle")
        check(b.evaluate("document.querySelectorAll('#walk tr.walk-row').length") == len(walk),
              "the walk was lost by redrawing")
        b.click("#scale-toggle")
        check(b.evaluate("document.body.dataset.scale") == "log", "the toggle did not switch back")

        # Zoom into a region by its label, and back out.
        b.click(f"text.region-label[data-region={json.dumps(args.region[-1])}]")
        check(b.evaluate("document.getElementById('zoom-label').textContent").startswith(args.region[-1]),
              "clicking a region label did not zoom")
        b.click("#zoom-out")
        check(b.evaluate("document.getElementById('zoom-label').textContent") == "", "zoom out failed")

        if args.diff:
            # A listed difference zooms both maps to it, and both still draw it.
            b.click("div.diff-item")
            check(b.evaluate("document.getElementById('zoom-label').textContent").startswith("difference"),
                  "clicking a listed difference did not zoom to it")
            check(b.evaluate("document.querySelectorAll('section.map-panel rect.diff-range').length") >= 2,
                  "the zoomed maps do not outline the difference")
            b.click("#zoom-out")

        shot = b.send("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False})
        os.makedirs(os.path.dirname(os.path.abspath(args.screenshot)), exist_ok=True)
        with open(args.screenshot, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
        check(os.path.getsize(args.screenshot) > 10000, "the screenshot is nearly empty")
        check(not b.errors(), f"errors: {b.errors()}")
        print("screenshot:", args.screenshot)
    except Failure:
        print("chromium's last words:\n" + b.log_tail(), file=sys.stderr)
        raise
    finally:
        b.close()


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("page")
    p.add_argument("--screenshot", required=True)
    p.add_argument("--region", action="append", required=True, help="a region label that must render")
    p.add_argument("--kind", action="append", default=[], help="block, page or contiguous: must be drawn")
    p.add_argument("--diff", action="store_true", help="a ptsim diff page: two maps, differences")
    p.add_argument("--tables", action="store_true", help="page-table pages must be drawn")
    p.add_argument("--timeout", type=int, default=120)
    args = p.parse_args()

    def on_alarm(signum, frame):
        raise Failure(f"timed out after {args.timeout} s")

    signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(args.timeout)
    try:
        run(args)
    except Failure as e:
        print("FAIL:", e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
