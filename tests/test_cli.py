"""The command line: a thin wrapper; JSON contracts; Chinese errors with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from ecodesk.cli import main
from ecodesk.messages import msg


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_init_catalog_round_json(tmp_path, capsys):
    d = str(tmp_path / "项目")
    code, out, _ = run(capsys, "init", d, "--region", "east", "--json")
    assert code == 0
    info = json.loads(out)
    assert (info["indicators"], info["numbers"], info["tasks"], info["county"]) == (31, 25, 22, "嵊州市")
    code, out, _ = run(capsys, "catalog", d, "--json")
    cat = json.loads(out)
    assert set(cat) >= {"county", "region", "indicators", "tasks", "departments"}
    ind = next(i for i in cat["indicators"] if i["name"] == "PM2.5浓度")
    assert set(ind) >= {
        "key",
        "number",
        "group",
        "name",
        "unit",
        "target_text",
        "reference",
        "applicability_mark",
        "lead",
        "co",
        "rule",
        "explanation",
    }
    assert ind["lead"] == ["生态环境分局"] and ind["rule"]["kind"] == "all_of"
    kinds = {i["rule"]["kind"] for i in cat["indicators"]}
    assert kinds >= {"threshold", "qualitative", "trend", "superior_target", "delta", "region", "all_of"}
    region = next(i for i in cat["indicators"] if i["number"] == "20")
    assert region["rule"]["kind"] == "region" and "60" in region["explanation"]
    assert all(
        set(t) >= {"key", "number", "action_group", "title", "requirements", "departments"}
        for t in cat["tasks"]
    )
    assert {"name": "住建局"}.items() <= next(x for x in cat["departments"] if x["name"] == "住建局").items()
    assert run(capsys, "round", "add", d, "2025年第一轮", "--deadline", "2025-06-30")[0] == 0
    code, out, _ = run(capsys, "round", "list", d, "--json")
    assert [r["name"] for r in json.loads(out)] == ["2025年第一轮"]


def test_whole_cycle_through_the_cli(tmp_path, capsys):
    d = str(tmp_path / "demo")
    code, out, _ = run(capsys, "demo", d, "--json")
    assert code == 0
    demo = json.loads(out)
    assert demo["collected"]["accepted"] >= 20 and demo["missing"] == ["卫健局", "统计局"]
    code, out, _ = run(capsys, "validate", d, "--round", "2025年第一轮", "--json")
    data = json.loads(out)
    assert len(data["indicators"]) == 31
    first = data["indicators"][0]
    assert set(first) >= {
        "key",
        "number",
        "name",
        "verdict",
        "value",
        "previous",
        "target",
        "reason",
        "sources",
    }
    assert sum(data["counts"].values()) == 31
    code, out, _ = run(
        capsys, "report", d, "--round", "2025年第一轮", "--out", str(tmp_path / "r.xlsx"), "--json"
    )
    assert code == 0 and json.loads(out)["path"].endswith("r.xlsx")
    code, out, _ = run(
        capsys, "collect", d, "--round", "2025年第一轮", str(tmp_path / "demo" / "模拟回收文件"), "--json"
    )
    assert json.loads(out)["counts"]["duplicate"] >= 20  # running twice is safe


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["catalog", "/nonexistent/项目"], msg("project.not_found", path="/nonexistent/项目")),
        (
            ["round", "add", "{d}", "第一轮", "--deadline", "2025/6/30"],
            msg("round.bad_deadline", value="2025/6/30"),
        ),
        (["generate", "{d}", "--round", "没有"], "没有名为『没有』的调度轮次"),
        (["init", "{d}"], "已有 EcoDesk 项目"),
    ],
)
def test_bad_input_is_a_chinese_message_and_exit_2(tmp_path, capsys, args, expected):
    d = str(tmp_path / "p")
    assert run(capsys, "init", d)[0] == 0
    code, _out, err = run(capsys, *[a.replace("{d}", d) for a in args])
    assert code == 2
    assert expected in err
    assert "Traceback" not in err


def test_usage_errors_exit_2_in_chinese(capsys):
    with pytest.raises(SystemExit) as e:
        main(["round", "add"])
    assert e.value.code == 2
    assert "命令参数有误" in capsys.readouterr().err


def test_python_dash_m_is_the_same(tmp_path):
    out = subprocess.run([sys.executable, "-m", "ecodesk", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and out.stdout.startswith("EcoDesk ")
