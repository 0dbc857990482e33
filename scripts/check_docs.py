"""Open every page of a built docs site in headless Chromium and report what is broken.

    python scripts/check_docs.py _docs                          # check, print a line per page, exit 1 on a problem
    python scripts/check_docs.py _docs --screenshots tmp/shots  # also save a PNG of each page

Chromium is driven over the DevTools protocol (websocket-client, a Jupyter dependency). For each page it records
console errors, uncaught exceptions, failed loads and any request that leaves the machine (anything but file: and
data:), then reads the page's links, images and element ids. After all pages: every local link must point to an
existing file (and, with a #fragment, to an id on that page), every image must have decoded.
"""
from __future__ import annotations
import argparse, base64, json, os, shutil, subprocess, tempfile, time, urllib.request
from pathlib import Path
from urllib.parse import unquote, urlsplit

LOCAL_SCHEMES = ("file", "data", "about", "blob")
PAGE_JS = """JSON.stringify({
  title: document.title,
  links: Array.from(document.querySelectorAll('a[href]'), a => a.href),
  images: Array.from(document.images, i => ({src: i.src.slice(0, 80), ok: i.complete && i.naturalWidth > 0})),
  ids: Array.from(document.querySelectorAll('[id]'), e => e.id),
  nav: document.querySelectorAll('nav.w2s-nav a').length,
  h3: document.querySelectorAll('h3').length,
  math: document.querySelectorAll('math').length,
  height: document.documentElement.scrollHeight})"""


def find_chromium() -> str|None:
    "The Chromium binary: $CHROMIUM, else chromium / chromium-browser / google-chrome on PATH"
    for name in [os.environ.get("CHROMIUM"), "chromium", "chromium-browser", "google-chrome"]:
        if name and shutil.which(name): return shutil.which(name)
    return None


class Browser:
    "A headless Chromium with one tab, driven over the DevTools protocol"
    def __init__(self, binary:str, width:int=1280, height:int=900, timeout:float=30):
        import websocket
        self.profile = tempfile.mkdtemp(prefix="w2s_chromium_")
        self.proc = subprocess.Popen([binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
            "--disable-component-update", "--remote-debugging-port=0", "--remote-allow-origins=*",
            f"--user-data-dir={self.profile}", f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        port_file, start = Path(self.profile) / "DevToolsActivePort", time.time()
        while not (port_file.exists() and port_file.read_text().count("\n") >= 1):
            if self.proc.poll() is not None or time.time() - start > timeout:
                self.close(); raise RuntimeError(f"{binary} did not start (exit {self.proc.poll()})")
            time.sleep(0.1)
        port = port_file.read_text().split()[0]
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=timeout))
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=timeout, suppress_origin=True)
        self.timeout, self.next_id, self.events = timeout, 0, []
        for domain in ("Page", "Runtime", "Log", "Network"): self.call(f"{domain}.enable")
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1, mobile=False)

    def call(self, method:str, **params):
        "Send one command and wait for its answer; events that arrive meanwhile are kept in `events`"
        self.next_id += 1; my_id = self.next_id
        self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my_id:
                if "error" in msg: raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})
            if "method" in msg: self.events.append(msg)

    def wait_for(self, method:str, timeout:float|None=None):
        "Read events until one named `method` arrives"
        end = time.time() + (timeout or self.timeout)
        while time.time() < end:
            if any(e["method"] == method for e in self.events): return
            self.ws.settimeout(max(0.1, end - time.time()))
            try: msg = json.loads(self.ws.recv())
            except Exception: break
            if "method" in msg: self.events.append(msg)
        raise TimeoutError(f"no {method} within {timeout or self.timeout}s")

    def open(self, url:str) -> tuple[dict, list[str]]:
        "Load `url`; return what PAGE_JS reads from it and the problems seen while loading"
        self.events = []
        self.call("Page.navigate", url=url)
        self.wait_for("Page.loadEventFired")
        time.sleep(0.3)                                   # let late console messages arrive
        self.call("Runtime.evaluate", expression="1")     # and collect them
        info = json.loads(self.call("Runtime.evaluate", expression=PAGE_JS, returnByValue=True)["result"]["value"])
        return info, self._problems()

    def _problems(self) -> list[str]:
        out = []
        for e in self.events:
            m, p = e["method"], e.get("params", {})
            if m == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
                out.append("console error: " + " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", [])))
            elif m == "Runtime.exceptionThrown":
                d = p.get("exceptionDetails", {}); out.append(f"exception: {d.get('text')} {d.get('exception', {}).get('description', '')}")
            elif m == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
                out.append(f"log error: {p['entry'].get('text')} {p['entry'].get('url', '')}")
            elif m == "Network.requestWillBeSent" and urlsplit(p["request"]["url"]).scheme not in LOCAL_SCHEMES:
                out.append(f"network request: {p['request']['url']}")
            elif m == "Network.loadingFailed" and not p.get("canceled"):
                out.append(f"load failed: {p.get('errorText')}")
        return out

    def screenshot(self, path:Path, full_page:bool=False):
        "Save a PNG of the current page (the first screen, or the whole page)"
        params = dict(format="png")
        if full_page: params |= dict(captureBeyondViewport=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(self.call("Page.captureScreenshot", **params)["data"]))

    def close(self):
        try: self.ws.close()
        except Exception: pass
        self.proc.terminate()
        try: self.proc.wait(10)
        except subprocess.TimeoutExpired: self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def check_site(site:Path, screenshots:Path|None=None, binary:str|None=None) -> tuple[dict[str, dict], list[str]]:
    "Open every page of `site`; returns {page: what it holds} and the list of problems (empty when all is well)"
    site = Path(site).resolve()
    binary = binary or find_chromium()
    if binary is None: raise FileNotFoundError("chromium not found: install it (apt-get install chromium, or bash scripts/setup.sh as root)")
    pages, problems, browser = sorted(site.glob("*.html")), [], Browser(binary)
    if not pages: return {}, [f"no HTML page in {site}"]
    seen = {}
    try:
        for page in pages:
            info, trouble = browser.open(page.as_uri())
            seen[page.name] = info
            problems += [f"{page.name}: {t}" for t in trouble]
            problems += [f"{page.name}: image did not load: {img['src']}" for img in info["images"] if not img["ok"]]
            if screenshots is not None: browser.screenshot(Path(screenshots) / f"{page.stem}.png")
    finally: browser.close()
    for name, info in seen.items():
        for href in info["links"]:
            parts = urlsplit(href)
            if parts.scheme != "file": continue
            target = Path(unquote(parts.path))
            if not target.exists(): problems.append(f"{name}: broken link {href}"); continue
            ids = seen.get(target.name, {}).get("ids", ())
            if parts.fragment and target.name in seen and parts.fragment not in ids and unquote(parts.fragment) not in ids:
                problems.append(f"{name}: link to a missing anchor {target.name}#{parts.fragment}")
    return seen, problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("site", type=Path, nargs="?", default=Path("_docs"))
    ap.add_argument("--screenshots", type=Path, help="save a PNG of each page here")
    args = ap.parse_args(argv)
    seen, problems = check_site(args.site, args.screenshots)
    for name, info in seen.items():
        print(f"{name:24s} links {len(info['links']):4d}  images {len(info['images']):3d}  show_doc/h3 {info['h3']:3d}  math {info['math']:3d}")
    for p in problems: print("PROBLEM", p)
    print(f"{len(seen)} pages, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
