"""The `yuelan` command on temporary stores: through `main(argv)` in-process (`run_cli`), and end to end
in a real process (`yuelan`) where a process matters: the first import-list-show round, exit codes of
a real interpreter, $YUELAN_DB, a closed pipe."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import SEED_SCRIPTS, json_lines, run_cli, yuelan

from store.corpus import bundled_seeds
from store.storage.paths import texts_path_for

PINYIN_ANNOTATION = re.compile(r"[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)")
CHROME = ["主办单位", "网站标识码", "我的订阅", "资讯信息快照", "更多关于国内的资讯", "掃碼關注", "掃一掃"]


def test_import_list_show_on_the_seeds(tmp_path: Path) -> None:
    db = tmp_path / "y.json"
    first = yuelan("import", str(bundled_seeds()), db=db, check=True)
    assert first.stdout.startswith("5 added, 0 updated, 0 unchanged")
    again = yuelan("import", str(bundled_seeds()), db=db, check=True)
    assert again.stdout.startswith("0 added, 0 updated, 5 unchanged")

    listed = json_lines(yuelan("list", "--json", db=db, check=True).stdout)
    assert len(listed) == 5
    for obj in listed:
        assert {"id", "paths", "script", "chars", "title", "date", "provinces", "people"} <= obj.keys()
        shown = json.loads(yuelan("show", obj["id"][:6], "--json", db=db, check=True).stdout)
        assert not PINYIN_ANNOTATION.search(shown["text"]), obj["paths"]
        assert not [c for c in CHROME if c in shown["text"]]
        assert shown["raw"] and len(shown["raw"]) >= len(shown["text"])
    assert {Path(o["paths"][0]).name[:3]: o["script"] for o in listed} == SEED_SCRIPTS


def test_show_converts_scripts_and_keeps_raw(seed_store: Path) -> None:
    listed = json_lines(run_cli("list", "--json", db=seed_store, check=True).stdout)
    doc = next(o for o in listed if Path(o["paths"][0]).name.startswith("000"))
    simp = run_cli("show", doc["id"], "--script", "simp", db=seed_store, check=True).stdout
    trad = run_cli("show", doc["id"], "--script", "trad", db=seed_store, check=True).stdout
    raw = run_cli("show", doc["id"], "--raw", db=seed_store, check=True).stdout
    assert "团结" in simp and "團結" in trad
    assert "團(tuán)結(jié)" in raw
    assert len(simp) == len(trad)


def test_same_content_in_other_encodings_is_one_document(tmp_path: Path, seed_store: Path) -> None:
    seed = (bundled_seeds() / "002_6e7d5b141ba7fb0a.txt").read_text(encoding="utf-8")
    (tmp_path / "gbk.txt").write_bytes(seed.encode("gbk"))
    (tmp_path / "utf16.txt").write_bytes(seed.encode("utf-16"))
    out = run_cli("import", str(tmp_path / "gbk.txt"), str(tmp_path / "utf16.txt"), db=seed_store, check=True)
    assert "0 added" in out.stdout and "2 already stored under another path" in out.stdout
    listed = json_lines(run_cli("list", "--json", db=seed_store, check=True).stdout)
    assert len(listed) == 5
    doc = next(o for o in listed if any(p.endswith("gbk.txt") for p in o["paths"]))
    assert len(doc["paths"]) == 3


def test_changed_file_updates_its_document(tmp_path: Path) -> None:
    db = tmp_path / "y.json"
    source = tmp_path / "report.txt"
    source.write_text("甘肃省代表团赴西藏考察。\n8月8日召开座谈会。", encoding="utf-8")
    run_cli("import", str(source), db=db, check=True)
    old = json_lines(run_cli("list", "--json", db=db, check=True).stdout)[0]
    source.write_text("甘肃省代表团赴四川考察。\n8月9日召开座谈会。", encoding="utf-8")
    out = run_cli("import", str(source), db=db, check=True)
    assert out.stdout.startswith("0 added, 1 updated")
    new = json_lines(run_cli("list", "--json", db=db, check=True).stdout)
    assert len(new) == 1 and new[0]["id"] != old["id"]
    assert "四川" in run_cli("show", new[0]["id"], db=db, check=True).stdout


def test_bad_inputs_are_skipped_with_a_reason_and_nothing_is_lost(tmp_path: Path, seed_store: Path) -> None:
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.txt").write_bytes(b"\x00\x01\x02PNG\x00" * 100)
    (bad / "undecodable.txt").write_bytes(bytes(range(0x80, 0x100)) * 20)
    with open(bad / "huge.txt", "wb") as handle:  # sparse: 50 MB on paper, nothing written
        handle.truncate(50 * 1024 * 1024)
    before = seed_store.read_bytes()
    out = run_cli("import", str(bad), db=seed_store, check=True)
    assert "0 added" in out.stdout and "4 skipped" in out.stdout
    reasons = [line for line in out.stdout.splitlines() if line.startswith("skipped ")]
    assert len(reasons) == 4 and all(": " in r for r in reasons)
    assert seed_store.read_bytes() == before


def test_missing_path_and_usage_errors_have_exit_codes(tmp_path: Path, seed_store: Path) -> None:
    missing = yuelan("import", str(tmp_path / "nowhere"), db=seed_store)
    assert missing.returncode == 1
    assert "nowhere: no such file or folder" in missing.stderr
    assert yuelan("show", db=seed_store).returncode == 2
    assert yuelan("frobnicate", db=seed_store).returncode == 2
    absent = yuelan("show", "ffffffffffff", db=seed_store)
    assert absent.returncode == 1 and absent.stderr.count("\n") == 1


def test_corrupt_store_is_refused_and_left_untouched(tmp_path: Path) -> None:
    db = tmp_path / "y.json"
    db.write_text('{"meta": {"1": {"app": "yuel', encoding="utf-8")
    for args in (["list"], ["import", str(bundled_seeds())]):
        proc = run_cli(*args, db=db)
        assert proc.returncode == 1
        assert proc.stderr.startswith("yuelan: ") and proc.stderr.count("\n") == 1
        assert "corrupt" in proc.stderr
    assert db.read_text(encoding="utf-8") == '{"meta": {"1": {"app": "yuel'


def test_escape_sequences_in_a_document_never_reach_the_terminal(tmp_path: Path) -> None:
    db = tmp_path / "y.json"
    evil = tmp_path / "evil.txt"
    evil.write_text("甘肃代表团\x1b]52;c;cHduZWQ=\x07考察\x1b[2J西藏\x9b31m。", encoding="utf-8")
    run_cli("import", str(evil), db=db, check=True)
    doc = json_lines(run_cli("list", "--json", db=db, check=True).stdout)[0]
    for args in (["show", doc["id"]], ["show", doc["id"], "--raw"], ["list"]):
        out = run_cli(*args, db=db, check=True).stdout
        assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", out), args


def test_thousand_files_import_once(tmp_path: Path) -> None:
    folder = tmp_path / "many"
    folder.mkdir()
    for i in range(1000):
        (folder / f"{i:04}.txt").write_text(f"第{i}号报告：甘肃省与四川省召开座谈会。", encoding="utf-8")
    db = tmp_path / "y.json"
    assert run_cli("import", str(folder), db=db, check=True).stdout.startswith("1000 added")
    assert run_cli("import", str(folder), db=db, check=True).stdout.startswith(
        "0 added, 0 updated, 1000 unchanged"
    )
    assert len(run_cli("list", db=db, check=True).stdout.splitlines()) == 1000


def test_yuelan_db_environment_variable_is_the_default(tmp_path: Path, seed_store: Path) -> None:
    env_db = tmp_path / "env.json"
    shutil.copy(seed_store, env_db)
    shutil.copy(texts_path_for(seed_store), texts_path_for(env_db))
    os.environ["YUELAN_DB"] = str(env_db)  # restored by the autouse fixture's monkeypatch
    assert len(yuelan("list", check=True).stdout.splitlines()) == 5


def test_search_json_is_script_blind(seed_store: Path) -> None:
    simp = json_lines(run_cli("search", "团结", "--json", db=seed_store, check=True).stdout)
    trad = json_lines(run_cli("search", "團結", "--json", db=seed_store, check=True).stdout)
    assert simp and [o["id"] for o in simp] == [o["id"] for o in trad]
    for obj in simp:
        assert {"id", "title", "score", "hits", "snippets"} <= obj.keys()
        assert all(h["end"] > h["start"] for h in obj["hits"])


def test_bad_query_is_one_line(seed_store: Path) -> None:
    proc = run_cli("search", 'unclosed "quote', db=seed_store)
    assert proc.returncode == 1 and proc.stderr.count("\n") == 1


def test_tree_and_province_filter(seed_store: Path) -> None:
    roots = json_lines(run_cli("tree", "--json", db=seed_store, check=True).stdout)
    labels = {r["label"] for r in roots}
    assert "西藏自治区" in labels or any("西藏" in label for label in labels)
    tibet = json_lines(run_cli("list", "--json", "--province", "藏", db=seed_store, check=True).stdout)
    tibet_trad = json_lines(
        run_cli("list", "--json", "--province", "西藏自治區", db=seed_store, check=True).stdout
    )
    assert tibet and [o["id"] for o in tibet] == [o["id"] for o in tibet_trad]
    assert all("西藏自治区" in o["provinces"] for o in tibet)
    assert run_cli("list", "--province", "火星", db=seed_store).returncode == 1


@pytest.mark.parametrize("command", ["list", "tree"])
def test_output_to_a_closed_pipe_is_quiet(seed_store: Path, command: str) -> None:
    proc = subprocess.run(
        f"{sys.executable} -m tui.cli --db={seed_store} {command} | head -c 10",
        shell=True,
        capture_output=True,
        text=True,
    )
    assert "Traceback" not in proc.stderr
