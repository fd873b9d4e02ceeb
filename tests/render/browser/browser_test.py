"""Opens the HTML report of examples/news in headless Chromium and uses it as a
person would: no console errors, no network requests, a click on an edge of the
map and on a row of the edge table shows that edge's evidence with the
mentions highlighted. Writes a screenshot (AN_SCREENSHOT=path to keep it).

Drives Chromium over the DevTools protocol with the Python standard library
only (a minimal WebSocket client below), so nothing is installed at test time.

Usage: browser_test.py MAKE_REPORT SOURCE_ROOT. Exit 77 when Chromium is absent.
"""
import base64
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--disable-extensions", "--disable-default-apps", "--mute-audio", "--hide-scrollbars",
         "--remote-debugging-port=0", "--remote-allow-origins=*"]


class WebSocket:
    """Just enough of RFC 6455 for the DevTools protocol on loopback."""

    def __init__(self, url):
        m = re.match(r"ws://([^/:]+):(\d+)(/.*)", url)
        self.sock = socket.create_connection((m.group(1), int(m.group(2))), timeout=30)
        key = base64.b64encode(os.urandom(16)).decode()
        req = ("GET %s HTTP/1.1\r\nHost: %s:%s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n"
               % (m.group(3), m.group(1), m.group(2), key))
        self.sock.sendall(req.encode())
        head = b""
        while b"\r\n\r\n" not in head:
            chunk = self.sock.recv(1)
            if not chunk:
                raise RuntimeError("websocket handshake failed")
            head += chunk
        if b" 101 " not in head.split(b"\r\n")[0]:
            raise RuntimeError("websocket handshake refused: %r" % head[:200])

    def _recv_exact(self, n):
        buf = b""
        while len(buf) < n:
            chunk = self.sock.recv(n - len(buf))
            if not chunk:
                raise RuntimeError("websocket closed")
            buf += chunk
        return buf

    def send(self, text):
        data = text.encode()
        mask = os.urandom(4)
        n = len(data)
        if n < 126:
            head = struct.pack("!BB", 0x81, 0x80 | n)
        elif n < 65536:
            head = struct.pack("!BBH", 0x81, 0x80 | 126, n)
        else:
            head = struct.pack("!BBQ", 0x81, 0x80 | 127, n)
        self.sock.sendall(head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data)))

    def recv(self):
        msg = b""
        while True:
            b1, b2 = self._recv_exact(2)
            n = b2 & 0x7F
            if n == 126:
                n = struct.unpack("!H", self._recv_exact(2))[0]
            elif n == 127:
                n = struct.unpack("!Q", self._recv_exact(8))[0]
            payload = self._recv_exact(n)
            op = b1 & 0x0F
            if op == 8:
                raise RuntimeError("websocket closed by peer")
            if op in (9, 10):
                continue
            msg += payload
            if b1 & 0x80:
                return msg.decode()


class Page:
    def __init__(self, ws):
        self.ws, self.next_id, self.events = ws, 0, []

    def call(self, method, **params):
        self.next_id += 1
        my = self.next_id
        self.ws.send(json.dumps({"id": my, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == my:
                if "error" in msg:
                    raise RuntimeError("%s: %s" % (method, msg["error"]))
                return msg.get("result", {})
            self.events.append(msg)

    def wait_event(self, name, timeout=30):
        end = time.time() + timeout
        while time.time() < end:
            for e in self.events:
                if e.get("method") == name:
                    return e
            self.events.append(json.loads(self.ws.recv()))
        raise RuntimeError("no %s within %ss" % (name, timeout))

    def js(self, expr):
        r = self.call("Runtime.evaluate", expression=expr, returnByValue=True, awaitPromise=True)
        if "exceptionDetails" in r:
            raise RuntimeError("JS failed: %s" % r["exceptionDetails"])
        return r["result"].get("value")

    def click(self, x, y):
        for t in ("mouseMoved", "mousePressed", "mouseReleased"):
            self.call("Input.dispatchMouseEvent", type=t, x=x, y=y, button="left", clickCount=1)


def main():
    make_report, root = sys.argv[1], sys.argv[2]
    browser = next((shutil.which(b) for b in ("chromium", "chromium-browser", "google-chrome")
                    if shutil.which(b)), None)
    if not browser:
        print("chromium not installed: skipped")
        return 77
    tmp = tempfile.mkdtemp(prefix="an-browser-")
    proc = None
    try:
        subprocess.run([make_report, tmp, os.path.join(root, "examples/gazetteer/small.tsv"),
                        os.path.join(root, "examples/news")], check=True)
        report = os.path.join(tmp, "report.html")
        profile = os.path.join(tmp, "profile")
        os.mkdir(profile)
        proc = subprocess.Popen([browser] + FLAGS + ["--user-data-dir=" + profile, "about:blank"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        port = None
        end = time.time() + 30
        while time.time() < end and port is None:
            line = proc.stderr.readline().decode(errors="replace")
            if not line and proc.poll() is not None:
                break
            m = re.search(r"DevTools listening on ws://[^:]+:(\d+)/", line)
            if m:
                port = int(m.group(1))
        if port is None:
            print("chromium did not start its DevTools endpoint", file=sys.stderr)
            return 1
        targets = json.load(urllib.request.urlopen("http://127.0.0.1:%d/json/list" % port, timeout=10))
        page_t = next(t for t in targets if t.get("type") == "page")
        p = Page(WebSocket(page_t["webSocketDebuggerUrl"]))
        for d in ("Runtime.enable", "Log.enable", "Network.enable", "Page.enable"):
            p.call(d)
        p.call("Emulation.setDeviceMetricsOverride", width=1400, height=1000, deviceScaleFactor=1,
               mobile=False)
        p.events.clear()
        p.call("Page.navigate", url="file://" + report)
        p.wait_event("Page.loadEventFired")
        ready = p.js("document.documentElement.getAttribute('data-ready')")
        failures = []
        if ready != "1":
            failures.append("the report's script did not finish (data-ready=%r)" % ready)

        # an edge of the map that has evidence; its expected first sentence
        info = p.js("""(function(){
          var D=JSON.parse(document.getElementById('an-data').textContent);
          var gs=document.querySelectorAll('#mapbox g.edge[data-edge]');
          for(var i=0;i<gs.length;i++){var k=gs[i].getAttribute('data-edge');
            if(D.ev_edges[k]){var path=gs[i].querySelector('path.hit')||gs[i].querySelector('path');
              gs[i].scrollIntoView({block:'center'});
              var L=path.getTotalLength(),pt=path.getPointAtLength(L/2),m=path.getScreenCTM();
              return {k:+k,x:pt.x*m.a+pt.y*m.c+m.e,y:pt.x*m.b+pt.y*m.d+m.f,
                text:D.ev_edges[k][0].t.map(function(s){return s[0];}).join(''),
                marked:D.ev_edges[k][0].t.filter(function(s){return s[1];}).length,
                row:D.edges[k]};}}
          return null;})()""")
        if not info:
            failures.append("no edge with evidence in the map")
        else:
            p.click(info["x"], info["y"])
            panel = p.js("document.getElementById('panel-body').textContent")
            title = p.js("document.getElementById('panel-title').textContent")
            marks = p.js("document.querySelectorAll('#panel-body mark').length")
            sel = p.js("document.querySelectorAll('#mapbox g.edge.sel').length")
            want = " ".join(info["text"].split())
            if want not in " ".join(panel.split()):
                failures.append("clicking edge %d on the map did not show its evidence %r (panel: %r)"
                                % (info["k"], want[:80], panel[:200]))
            if marks < info["marked"] or marks == 0:
                failures.append("mentions not highlighted (%d marks)" % marks)
            if "\u2014" not in title:
                failures.append("panel title is not an edge: %r" % title)
            if sel != 1:
                failures.append("the clicked edge is not selected on the map")
            # the same edge from the table, with a real click on its row
            p.js("document.getElementById('panel-body').textContent=''")
            rect = p.js("""(function(){var r=document.querySelector('#edges tr[data-i="%d"]');
              r.scrollIntoView({block:'center'});var b=r.getBoundingClientRect();
              return {x:b.left+b.width/4,y:b.top+b.height/2};})()""" % info["k"])
            p.click(rect["x"], rect["y"])
            panel = p.js("document.getElementById('panel-body').textContent")
            if want not in " ".join(panel.split()):
                failures.append("clicking the edge's table row did not show its evidence")
            # sorting a column keeps every row
            n0 = p.js("document.querySelectorAll('#actors tbody tr').length")
            p.js("document.querySelectorAll('#actors th')[3].click()")
            n1 = p.js("document.querySelectorAll('#actors tbody tr').length")
            first = p.js("+document.querySelector('#actors tbody tr td:nth-child(4)').getAttribute('data-v')")
            mx = p.js("Math.max.apply(null,Array.prototype.map.call(document.querySelectorAll("
                      "'#actors tbody tr td:nth-child(4)'),function(c){return +c.getAttribute('data-v');}))")
            if n0 != n1 or n0 == 0:
                failures.append("sorting lost rows (%s -> %s)" % (n0, n1))
            if first != min(first, mx) and first != mx:
                failures.append("sorting by mentions did not order the rows")
        # back to the top with the edge selected, for the screenshot
        p.js("window.scrollTo(0,0)")
        time.sleep(0.2)
        shot = base64.b64decode(p.call("Page.captureScreenshot", format="png")["data"])
        dest = os.environ.get("AN_SCREENSHOT") or os.path.join(tmp, "report.png")
        with open(dest, "wb") as f:
            f.write(shot)
        if len(shot) < 10000:
            failures.append("screenshot suspiciously small (%d bytes)" % len(shot))

        for e in p.events:
            m, prm = e.get("method"), e.get("params", {})
            if m == "Runtime.exceptionThrown":
                failures.append("exception: %s" % prm.get("exceptionDetails", {}).get("text"))
            elif m == "Runtime.consoleAPICalled" and prm.get("type") in ("error", "assert"):
                failures.append("console error: %s" % prm.get("args"))
            elif m == "Log.entryAdded" and prm.get("entry", {}).get("level") == "error":
                failures.append("log error: %s" % prm["entry"].get("text"))
            elif m == "Network.requestWillBeSent":
                url = prm.get("request", {}).get("url", "")
                if not url.startswith("file://") and not url.startswith("data:"):
                    failures.append("request to %s" % url)
            elif m == "Network.loadingFailed":
                failures.append("failed load: %s" % prm.get("errorText"))
        for f in failures:
            print("FAIL:", f, file=sys.stderr)
        print("%d passed, %d failed" % (0 if failures else 1, 1 if failures else 0))
        return 1 if failures else 0
    finally:
        if proc:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        if not os.environ.get("AN_KEEP_TMP"):
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
