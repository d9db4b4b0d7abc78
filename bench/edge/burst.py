#!/usr/bin/env python3
"""A burst of connections opened at once, each sending one request: how many get an
answer, how many are closed with 0 bytes (reset or closed unanswered).

usage: burst.py PORT COUNT [PATH]
"""
import resource
import selectors
import socket
import sys
import time

port, count = int(sys.argv[1]), int(sys.argv[2])
path = sys.argv[3] if len(sys.argv) > 3 else "/healthz"
hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

request = f"GET {path} HTTP/1.1\r\nHost: burst\r\nConnection: close\r\n\r\n".encode()
socks = []
for _ in range(count):
    s = socket.socket()
    s.setblocking(False)
    try:
        s.connect(("127.0.0.1", port))
    except BlockingIOError:
        pass
    socks.append(s)

sel = selectors.DefaultSelector()
for s in socks:
    sel.register(s, selectors.EVENT_WRITE)
received = {s: b"" for s in socks}
sent, done = set(), set()
start = time.time()
while len(done) < count and time.time() - start < 120:
    for key, _ in sel.select(timeout=1):
        s = key.fileobj
        if s not in sent:
            try:
                s.send(request)
            except OSError:
                pass  # answered and closed before the request went out: read the answer
            sent.add(s)
            sel.modify(s, selectors.EVENT_READ)
            continue
        try:
            data = s.recv(65536)
        except OSError:
            data = b""
        if data:
            received[s] += data
        else:
            done.add(s)
            sel.unregister(s)

statuses = {}
for s in socks:
    head = received[s][:12]
    key = head[9:12].decode() if head.startswith(b"HTTP/1.") else "none"
    statuses[key] = statuses.get(key, 0) + 1
answered = count - statuses.get("none", 0)
print(f"{count} connections: {answered} answered {dict(sorted(statuses.items()))}, "
      f"{statuses.get('none', 0)} closed with 0 bytes, {count - len(done)} still open, {time.time() - start:.1f} s")
