#!/usr/bin/env bash
# The CPU a chat-completion request costs while it waits for a slow server, for the old URLSession
# HTTPStream and the libcurl one.
#
# A local model on a small CPU may think for minutes before its first token; every cycle the client
# burns meanwhile is taken from the model. This builds one tiny driver (http-wait-driver/main.swift:
# one forge-style streamed POST) twice, with the URLSession HTTPStream.swift of commit $OLD_REV and
# with today's libcurl sources, runs each against slow_server.py (which sleeps DELAY seconds before
# answering) and prints real/user/sys from /usr/bin/time. Waiting should cost close to zero.
#
# Usage: Benchmarks/http-wait-cpu.sh [DELAY_SECONDS]   (default 10; run from anywhere in the repo)
set -euo pipefail

delay="${1:-10}"
old_rev="${OLD_REV:-fff0c46}"   # the last commit whose HTTPStream used URLSession
here="$(cd "$(dirname "$0")" && pwd)"
root="$(git -C "$here" rev-parse --show-toplevel)"
work="$(mktemp -d)"
server_pid=""
cleanup() {
    if [[ -n "$server_pid" ]]; then kill "$server_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT

echo "building the drivers (swiftc -O)..."
git -C "$root" show "$old_rev:Sources/ForgeLLM/Providers/HTTPStream.swift" > "$work/URLSessionHTTPStream.swift"
swiftc -O -module-name WaitBench "$here/http-wait-driver/main.swift" "$work/URLSessionHTTPStream.swift" \
    -o "$work/urlsession"
providers="$root/Sources/ForgeLLM/Providers"
swiftc -O -module-name WaitBench -I "$root/Sources/CCurl" "$here/http-wait-driver/main.swift" \
    "$providers/HTTPStream.swift" "$providers/CurlTransfer.swift" "$providers/CurlTransfer+URLError.swift" \
    "$providers/ResponseReceiver.swift" -o "$work/libcurl"

python3 "$here/slow_server.py" "$work/port" "$delay" &
server_pid=$!
for _ in $(seq 50); do [[ -s "$work/port" ]] && break; sleep 0.1; done
url="http://127.0.0.1:$(cat "$work/port")/v1/chat/completions"

echo "one request to a server that waits ${delay}s before answering:"
for client in urlsession libcurl; do
    printf '%-10s ' "$client"
    /usr/bin/time -f "%e s real  %U s user  %S s sys" -o "$work/time" "$work/$client" "$url" 600 > "$work/out"
    printf '%s   (%s)\n' "$(cat "$work/time")" "$(cat "$work/out")"
done
