#!/usr/bin/env bash
# RSS of zkdigest proxy holding N idle ZooKeeper sessions: each client connects through the proxy,
# completes the handshake, then sends only a ping every 10 s, as an idle ZooKeeper client does.
#   benchmarks/idle-connections.sh [N...]        (default: 2000 4000 6000 8000 9900)
# The proxy holds two sockets per client, so N stops at (open-file limit - 100) / 2. The upstream
# is a small fake server (handshake and ping replies), in its own process, as are the clients, so
# only the proxy's own limit counts.
set -euo pipefail
cd "$(dirname "$0")/.."
ulimit -n "$(ulimit -Hn)"
./zkdigest --version >/dev/null
limit=$(( ($(ulimit -n) - 100) / 2 ))
[ "$#" -gt 0 ] || set -- 2000 4000 6000 8000 9900
work="$(mktemp -d)"
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

cat > "$work/upstream.py" <<'PY'
# A fake ZooKeeper server: answers ConnectRequest with a session, and pings.
import asyncio, itertools, struct, sys
ids = itertools.count(0x100000)
async def serve(r, w):
    try:
        n = struct.unpack(">i", await r.readexactly(4))[0]
        await r.readexactly(n)
        body = struct.pack(">iiq", 0, 30000, next(ids)) + struct.pack(">i", 16) + bytes(16)
        w.write(struct.pack(">i", len(body)) + body)
        while True:
            n = struct.unpack(">i", await r.readexactly(4))[0]
            xid = struct.unpack(">i", (await r.readexactly(n))[:4])[0]
            body = struct.pack(">iqi", xid, 1, 0)
            w.write(struct.pack(">i", len(body)) + body)
    except (asyncio.IncompleteReadError, ConnectionError):
        w.close()
async def main():
    s = await asyncio.start_server(serve, "127.0.0.1", int(sys.argv[1]), backlog=4096)
    async with s:
        await s.serve_forever()
asyncio.run(main())
PY

cat > "$work/clients.py" <<'PY'
# N idle ZooKeeper sessions through the proxy: handshake, then a ping every 10 s.
import asyncio, struct, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
async def session(ready):
    r, w = await asyncio.open_connection("127.0.0.1", port)
    body = struct.pack(">iqiq", 0, 0, 30000, 0) + struct.pack(">i", 16) + bytes(16)
    w.write(struct.pack(">i", len(body)) + body)
    m = struct.unpack(">i", await r.readexactly(4))[0]
    await r.readexactly(m)
    ready.append(1)
    while True:
        await asyncio.sleep(10)
        w.write(struct.pack(">iii", 8, -2, 11))
        m = struct.unpack(">i", await r.readexactly(4))[0]
        await r.readexactly(m)
async def main():
    ready = []
    tasks = []
    for i in range(n):
        tasks.append(asyncio.create_task(session(ready)))
        if i % 200 == 199:
            await asyncio.sleep(0.05)
    while len(ready) < n:
        await asyncio.sleep(0.2)
    print("ready", flush=True)
    await asyncio.gather(*tasks)
asyncio.run(main())
PY

free() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
rss() { awk '/VmRSS/ {print int($2/1024)}' "/proc/$1/status"; }
javapid() { pgrep -f "zkdigest.jar proxy --listen 127.0.0.1:$1" | head -1; }

for n in "$@"; do
  if [ "$n" -gt "$limit" ]; then
    echo "$n: skipped, the open-file limit ($(ulimit -n)) allows the proxy $limit clients"
    continue
  fi
  up=$(free); listen=$(free)
  python3 "$work/upstream.py" "$up" &
  upstream=$!
  ./zkdigest proxy --listen "127.0.0.1:$listen" --upstream "127.0.0.1:$up" --output /dev/null \
    2>/dev/null &
  for _ in $(seq 100); do javapid "$listen" >/dev/null && break; sleep 0.2; done
  sleep 3
  pid=$(javapid "$listen")
  before=$(rss "$pid")
  python3 "$work/clients.py" "$listen" "$n" > "$work/clients.out" &
  clients=$!
  for _ in $(seq 600); do grep -q ready "$work/clients.out" 2>/dev/null && break; sleep 0.5; done
  sleep "${IDLE_WAIT:-25}" # two rounds of pings
  after=$(rss "$pid")
  echo "$n idle sessions: proxy RSS $after MiB (idle proxy before: $before MiB)," \
    "$(( (after - before) * 1024 * 1024 / n )) bytes per session"
  kill "$clients" "$upstream" 2>/dev/null || true
  kill -TERM "$pid" 2>/dev/null || true
  wait 2>/dev/null || true
done
