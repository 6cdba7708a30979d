"""Time `photos.prepare()` against pyvips' thumbnail on phone photos and a 24 MP JPEG; its memory.

Run on demand: `.venv/bin/python benchmarks/bench_photos.py [--runs N]`. Both sides write the
same output: a progressive JPEG, quality 85, metadata stripped, long side 1200. Peak memory is
measured in a fresh subprocess per method as the resident-set high-water mark (Linux VmHWM,
reset through /proc/self/clear_refs after a warm-up) minus the resident set before the call;
unlike tracemalloc this sees Pillow's and libvips' C allocations. (ru_maxrss is no good here:
Linux carries it over from the parent across exec.)
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
MOBILE = REPO.parent / "shared" / "testdata" / "photos" / "mobile"
MAX_SIDE = 1200
QUALITY = 85


def make_24mp_jpeg(folder: Path) -> Path:
    """A 6000×4000 q92 JPEG with photo-like entropy: gradients, shapes and sensor-like noise."""
    from PIL import Image, ImageDraw, ImageFilter

    size = (6000, 4000)
    red = Image.linear_gradient("L").resize(size)
    green = Image.radial_gradient("L").resize(size)
    blue = Image.effect_noise((1500, 1000), 60).resize(size).filter(ImageFilter.GaussianBlur(3))
    picture = Image.merge("RGB", (red, green, blue))
    draw = ImageDraw.Draw(picture)
    for n in range(40):
        x, y = (n * 613) % 5600, (n * 397) % 3600
        draw.rectangle((x, y, x + 300, y + 200), fill=((n * 50) % 256, (n * 90) % 256, 128))
    noise = Image.effect_noise(size, 18).convert("RGB")
    picture = Image.blend(picture, noise, 0.12)
    path = folder / "generated_24mp.jpg"
    picture.save(path, "JPEG", quality=92)
    return path


def median_ms(action: Callable[[], object], runs: int) -> float:
    """Median wall time of `runs` calls after one warm-up call."""
    action()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def load_pyvips() -> Any | None:
    """The pyvips module with its operation cache off, or None when it (or libvips) is missing."""
    try:
        import pyvips  # type: ignore[import-untyped]
    except (ImportError, OSError):
        return None
    pyvips.cache_set_max(0)  # otherwise repeated thumbnails of one file come from the cache
    return pyvips


def pyvips_prepare(path: Path) -> bytes:
    """pyvips' shrink-on-load thumbnail saved like prepare() saves (default thread count)."""
    pyvips = load_pyvips()
    assert pyvips is not None
    image = pyvips.Image.thumbnail(str(path), MAX_SIDE, height=MAX_SIDE, size="down")
    data: bytes = image.jpegsave_buffer(Q=QUALITY, interlace=True, strip=True, optimize_coding=True)
    return data


_MEMORY_PROBE = """
import json, sys
from pathlib import Path
sys.path.insert(0, {repo!r})
kind, path, warm = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
if kind == "pillow":
    from privet_tui.photos import prepare
    run = lambda p: prepare(p)
elif kind == "naive":
    import io
    from PIL import Image
    def run(p):
        with Image.open(p) as im:
            small = im.convert("RGB")
            small.thumbnail((1200, 1200), reducing_gap=None)
            small.save(io.BytesIO(), "JPEG", quality=85, progressive=True)
else:
    import pyvips
    pyvips.cache_set_max(0)
    def run(p):
        image = pyvips.Image.thumbnail(str(p), 1200, height=1200, size="down")
        image.jpegsave_buffer(Q=85, interlace=True, strip=True, optimize_coding=True)
def status(field):
    for line in open("/proc/self/status"):
        if line.startswith(field + ":"):
            return int(line.split()[1])
run(warm)
with open("/proc/self/clear_refs", "w") as clear:
    clear.write("5")  # reset VmHWM to the current RSS
before = status("VmRSS")
run(path)
print(json.dumps({{"before_kib": before, "peak_kib": status("VmHWM")}}))
"""


def peak_memory_mib(kind: str, path: Path, warm: Path) -> float:
    """Peak resident growth of a fresh process over one conversion (MiB)."""
    script = _MEMORY_PROBE.format(repo=str(REPO))
    result = subprocess.run(
        [sys.executable, "-c", script, kind, str(path), str(warm)],
        check=True,
        capture_output=True,
        text=True,
    )
    numbers = json.loads(result.stdout.strip().splitlines()[-1])
    return float(numbers["peak_kib"] - numbers["before_kib"]) / 1024


def main() -> None:
    """Print the timing table and the memory figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="timed runs per file (median)")
    args = parser.parse_args()

    sys.path.insert(0, str(REPO))
    from PIL import Image

    from privet_tui.photos import prepare

    pyvips = load_pyvips()
    have_vips = pyvips is not None
    if pyvips is None:
        print("pyvips not installed: timing Pillow only (pip install pyvips; libvips42)")
        vips_version = ""
    else:
        vips_version = f"libvips {pyvips.version(0)}.{pyvips.version(1)}.{pyvips.version(2)}"

    with tempfile.TemporaryDirectory(prefix="privet-bench-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        big = make_24mp_jpeg(folder)
        print(
            f"generated {big.name} ({big.stat().st_size / 1e6:.1f} MB) in "
            f"{time.perf_counter() - started:.1f} s"
        )
        files = sorted(MOBILE.glob("*.jpg")) if MOBILE.is_dir() else []
        if not files:
            print(f"{MOBILE} is absent: only the generated photo is timed")
        files.append(big)

        import PIL

        print(
            f"Pillow {PIL.__version__}, {vips_version or 'no pyvips'}, "
            f"{os.cpu_count()} CPUs, median of {args.runs} runs\n"
        )
        header = f"{'file':<26}{'pixels':>9}{'prepare()':>12}{'pyvips':>10}{'ratio':>8}"
        print(header)
        print("-" * len(header))
        ratios = []
        for path in files:
            with Image.open(path) as image:
                megapixels = image.width * image.height / 1e6
            pillow_ms = median_ms(functools.partial(prepare, path), args.runs)
            if have_vips:
                vips_ms = median_ms(functools.partial(pyvips_prepare, path), args.runs)
                ratio = pillow_ms / vips_ms
                ratios.append(ratio)
                vips_cell, ratio_cell = f"{vips_ms:8.1f}ms", f"{ratio:7.2f}×"
            else:
                vips_cell, ratio_cell = f"{'-':>10}", f"{'-':>8}"
            print(f"{path.name:<26}{megapixels:>7.1f}MP{pillow_ms:>10.1f}ms{vips_cell}{ratio_cell}")
        if ratios:
            print(
                f"\ngeometric mean ratio prepare()/pyvips: {statistics.geometric_mean(ratios):.2f}×"
                " (target ≤ 1.3×, goal 1.0×)"
            )

        warm = folder / "warm.jpg"
        Image.new("RGB", (64, 48), "grey").save(warm, "JPEG")
        print("\npeak memory for the 24 MP photo (VmHWM − VmRSS over one call, fresh process):")
        kinds = ["pillow", "naive"] + (["pyvips"] if have_vips else [])
        labels = {
            "pillow": "prepare() (draft at target size)",
            "naive": "naive Pillow open→convert→thumbnail",
            "pyvips": "pyvips thumbnail",
        }
        for kind in kinds:
            print(f"  {labels[kind]:<38}{peak_memory_mib(kind, big, warm):7.1f} MiB")
        print("  target for prepare(): ≤ 100 MB")


if __name__ == "__main__":
    main()
