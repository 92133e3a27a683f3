"""The web app under a burst of uploads: does it stay responsive and refuse nothing it should take?

    .venv/bin/python benchmarks/bench_web_load.py [--uploads 20] [--workers 2]

Starts the app on a free localhost port (fresh SQLite file), logs a TA in with a bearer token, sends
``--uploads`` uploads at once (the real PDFs and seeds of ../shared in turn, else the project's sample
transcripts), and meanwhile asks ``/healthz`` every 50 ms. Prints the median and worst ``/healthz``
latency during the burst, the median and worst upload response time, and how many uploads were
refused or failed to grade.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from web.live import LiveServer  # noqa: E402
from web.settings import Settings  # noqa: E402

SHARED = ROOT.parent / "shared"


def inputs() -> list[Path]:
    """The files to upload in turn."""
    found = sorted((SHARED / "real").glob("*.pdf")) + sorted((SHARED / "seeds").glob("*.txt"))
    return found or sorted(p for p in (ROOT / "transcripts").glob("*.*") if p.is_file())


def main(argv: list[str] | None = None) -> int:
    """Run the burst and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--uploads", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    files = inputs()
    with tempfile.TemporaryDirectory() as tmp:
        server = LiveServer(Settings(data_dir=Path(tmp), workers=args.workers))
        with server as url:
            server.app.state.accounts.add_course("bench")
            server.app.state.accounts.add_user("ta@bench.edu", "bench password", "ta", "bench")
            token = httpx.post(
                f"{url}/api/token", data={"username": "ta@bench.edu", "password": "bench password"}
            )
            auth = {"Authorization": f"Bearer {token.json()['access_token']}"}
            health: list[float] = []
            stop = threading.Event()

            def poll() -> None:
                with httpx.Client(timeout=60) as client:
                    while not stop.is_set():
                        start = time.perf_counter()
                        client.get(f"{url}/healthz")
                        health.append(time.perf_counter() - start)
                        time.sleep(0.05)

            def send(i: int) -> tuple[int, float, str | None]:
                path = files[i % len(files)]
                start = time.perf_counter()
                response = httpx.post(
                    f"{url}/api/grade",
                    headers=auth,
                    files={"file": (path.name, path.read_bytes())},
                    timeout=300,
                )
                body = response.json()
                return response.status_code, time.perf_counter() - start, body.get("id")

            poller = threading.Thread(target=poll, daemon=True)
            poller.start()
            with ThreadPoolExecutor(max_workers=args.uploads) as pool:
                results = list(pool.map(send, range(args.uploads)))
            burst_health = list(health)
            ids = [sid for status, _, sid in results if status in (200, 202) and sid]
            deadline = time.monotonic() + 1800
            failed = 0
            with httpx.Client(headers=auth, timeout=60) as client:
                for sid in ids:
                    while time.monotonic() < deadline:
                        status = client.get(f"{url}/api/submissions/{sid}").json()["status"]
                        if status in ("done", "failed"):
                            failed += status == "failed"
                            break
                        time.sleep(0.5)
            stop.set()
            poller.join()
    times = [t for _, t, _ in results]
    refused = [s for s, _, _ in results if s not in (200, 202)]
    print(f"{args.uploads} uploads of {len(files)} distinct files, {args.workers} grading workers")
    print(f"/healthz during the upload burst: median {statistics.median(burst_health) * 1000:.0f} ms, "
          f"worst {max(burst_health) * 1000:.0f} ms ({len(burst_health)} probes)")  # fmt: skip
    print(f"/healthz while grading the backlog: worst {max(health) * 1000:.0f} ms ({len(health)} probes)")
    print(f"upload response: median {statistics.median(times):.2f} s, worst {max(times):.2f} s")
    print(f"refused at upload: {len(refused)} {sorted(set(refused))}; failed to grade: {failed}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
