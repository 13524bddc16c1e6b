"""Writing the benchmark's results: JSON, a Markdown table, and a PNG chart."""

from __future__ import annotations

import json
from pathlib import Path

from .stages import Figure


def write(figures: list[Figure], out: Path, meta: dict[str, object]) -> None:
    """Write results.json, results.md and chart.png into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(
        json.dumps({"meta": meta, "figures": [f.as_dict() for f in figures]}, indent=2, ensure_ascii=False) + "\n"
    )
    (out / "results.md").write_text(markdown(figures, meta))
    chart(figures, out / "chart.png")


def markdown(figures: list[Figure], meta: dict[str, object]) -> str:
    lines = [
        f"# Benchmark ({meta.get('when')}, {meta.get('machine')})",
        "",
        "| stage | value | raw bound | ratio | note |",
        "|---|---:|---:|---:|---|",
    ]
    for f in figures:
        raw = f"{f.raw:,.0f} {f.unit}" if f.raw else "—"
        ratio = f"{f.ratio:.2f}" if f.ratio is not None else "—"
        lines.append(f"| {f.stage} | {f.value:,.1f} {f.unit} | {raw} | {ratio} | {f.note} |")
    return "\n".join(lines) + "\n"


def chart(figures: list[Figure], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    throughput = [f for f in figures if f.raw]
    lagged = [f for f in figures if f.samples]
    fig, axes = plt.subplots(1, 2, figsize=(13, 5))
    names = [f.stage for f in throughput]
    axes[0].barh(names, [f.raw for f in throughput], color="#cccccc", label="raw bound")
    axes[0].barh(names, [f.value for f in throughput], color="#c0392b", label="tdkt")
    axes[0].set_xscale("log")
    axes[0].set_xlabel("per second (log scale)")
    axes[0].set_title("Throughput per stage against its raw bound")
    axes[0].legend()
    for f in lagged:
        axes[1].plot([t for t, _ in f.samples], [ms for _, ms in f.samples], ".", markersize=2, label=f.stage)
    axes[1].set_xlabel("seconds into the run")
    axes[1].set_ylabel("latency, ms")
    axes[1].set_title("Lag over time")
    if lagged:
        axes[1].legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
