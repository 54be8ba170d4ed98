"""--plot writes a readable PNG per deployment and a Markdown report that links them."""

from __future__ import annotations

from builders import REPO

from components.simulate import __main__ as cli


def test_plot_writes_pngs_and_a_report(tmp_path, capsys):
    out = tmp_path / "plots"
    code = cli.main(
        [
            "--config-file",
            str(REPO / "stacks/Pulumi.staging.yaml"),
            "--synthetic",
            "step",
            "--days",
            "1",
            "--deployment",
            "text-embed",
            "--deployment",
            "reranker",
            "--plot",
            str(out),
        ]
    )
    assert code == 0
    assert sorted(path.name for path in out.iterdir()) == ["report.md", "reranker.png", "text-embed.png"]
    assert (out / "text-embed.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    report = (out / "report.md").read_text(encoding="utf-8")
    assert report.startswith("# Scaling and cost simulation: stack `staging`")
    assert "| text-embed | aws ml.c5.xlarge | 1-2, invocations @ 960 | synthetic:step |" in report
    assert "![reranker](reranker.png)" in report
    assert "Wrote 2 PNGs and report.md" in capsys.readouterr().out
