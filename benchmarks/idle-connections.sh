#!/usr/bin/env bash
# RSS of zkdigest proxy holding N idle client connections (and N upstream connections).
#   benchmarks/idle-connections.sh [N=10000]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-10000}"
ulimit -n "$(ulimit -Hn)"  # as many as allowed: the proxy holds two sockets per client
./zkdigest --version >/dev/null
python3 - "$n" <<'PY'
import asyncio, os, socket, subprocess, sys, time
n = int(sys.argv[1])
def free():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p
up, listen = free(), free()
async def main():
    held = []
    async def accept(r, w):
        held.append(w)   # an upstream that accepts and never speaks
    server = await asyncio.start_server(accept, "127.0.0.1", up, backlog=4096)
    proc = subprocess.Popen(["./zkdigest", "proxy", "--listen", f"127.0.0.1:{listen}",
                             "--upstream", f"127.0.0.1:{up}", "--output", "/dev/null"],
                            stderr=subprocess.DEVNULL)
    for _ in range(600):
        try:
            socket.create_connection(("127.0.0.1", listen)).close(); break
        except OSError:
            await asyncio.sleep(0.2)
    def rss():
        for line in open(f"/proc/{proc.pid}/status"):
            if line.startswith("VmRSS"):
                return int(line.split()[1]) // 1024
    before = rss()
    clients = []
    for i in range(n):
        clients.append(await asyncio.open_connection("127.0.0.1", listen))
    await asyncio.sleep(5)
    print(f"{n} idle connections: proxy RSS {rss()} MiB (before: {before} MiB), upstream sees {len(held)}")
    proc.terminate(); proc.wait(30)
asyncio.run(main())
PY
