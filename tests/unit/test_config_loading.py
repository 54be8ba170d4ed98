"""Reading stack files: every file is decoded as the Pulumi CLI decodes it, or refused with the file, the key path
and a fix; never a traceback, never a value silently dropped."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from builders import REPO

from components.config import ConfigError, read_stack_file
from components.plan import main

DEPLOYMENT = """\
    - name: ranker
      cloud: aws
      image: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/ranker:2.3.1
"""


def write(tmp_path: Path, text: str | bytes, name: str = "test") -> Path:
    path = tmp_path / f"Pulumi.{name}.yaml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def refusal(path: Path) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        read_stack_file(path)
    assert caught.value.source == str(path)
    return [str(problem) for problem in caught.value.problems]


def test_values_of_other_namespaces_pass_through_as_the_cli_decodes_them(tmp_path):
    path = write(
        tmp_path,
        "config:\n"
        "  aws:region: eu-west-1\n"
        "  acme:launch-date: 2024-05-01\n"
        "  acme:replicas: 3\n"
        "  acme:enabled: true\n"
        "  acme:empty:\n"
        "  acme:token:\n    secure: v1:AAAABBBB\n"
        "  acme:flags: !!set {alpha, beta}\n"
        "  acme:blob: !!binary aGVsbG8=\n"
        "  acme:window: {start: 2024-05-01, hours: 8, at: 2001-12-14t21:59:43.10-05:00}\n",
    )
    assert read_stack_file(path) == {
        "aws:region": "eu-west-1",
        "acme:launch-date": "2024-05-01",
        "acme:replicas": "3",
        "acme:enabled": "true",
        "acme:empty": "",
        "acme:token": {"secure": "v1:AAAABBBB"},
        "acme:flags": {"alpha": None, "beta": None},
        "acme:blob": "hello",
        "acme:window": {"start": "2024-05-01", "hours": 8, "at": "2001-12-14t21:59:43.10-05:00"},
    }


def test_other_namespace_dates_plan_without_a_traceback(tmp_path, capsys):
    path = write(
        tmp_path,
        "config:\n  aws:region: eu-west-1\n  acme:launch-date: 2024-05-01\n  acme:window: {start: 2024-05-01}\n"
        "  ml-serving:deployments:\n" + DEPLOYMENT,
    )
    assert main(["--config-file", str(path), "--json"]) == 0
    assert '"ml-serving:aws:SageMakerDeployment"' in capsys.readouterr().out


def test_anchors_aliases_and_merge_keys_stay_valid(tmp_path):
    path = write(
        tmp_path,
        "config:\n"
        "  acme:base: &base {tier: gold, zone: a}\n"
        "  acme:derived:\n    <<: *base\n    zone: b\n"
        "  acme:list: [*base, *base]\n",
    )
    values = read_stack_file(path)
    assert values["acme:derived"] == {"tier": "gold", "zone": "b"}
    assert values["acme:list"] == [{"tier": "gold", "zone": "a"}, {"tier": "gold", "zone": "a"}]


def test_duplicate_deployments_key_is_refused_with_both_lines(tmp_path):
    path = write(
        tmp_path, "config:\n  ml-serving:deployments:\n" + DEPLOYMENT + "  ml-serving:deployments:\n" + DEPLOYMENT
    )
    assert refusal(path) == [
        "deployments: written twice under config (lines 2 and 6); YAML would keep only the last one and silently "
        "drop the first. Fix: keep one of them (merge their contents if both matter)"
    ]


def test_duplicate_key_inside_a_deployment_is_refused_with_its_path(tmp_path):
    path = write(tmp_path, "config:\n  ml-serving:deployments:\n" + DEPLOYMENT + "      cloud: gcp\n")
    assert refusal(path) == [
        "deployments[0].cloud: written twice in one mapping (lines 4 and 6); YAML would keep only the last one and "
        "silently drop the first. Fix: keep one of them (merge their contents if both matter)"
    ]


def test_duplicate_top_level_config_is_refused(tmp_path):
    path = write(tmp_path, "config:\n  aws:region: eu-west-1\nconfig:\n  aws:region: us-east-1\n")
    assert refusal(path) == [
        "config: written twice (lines 1 and 3); YAML would keep only the last one. Fix: keep one of them (merge "
        "their contents if both matter)"
    ]


def test_non_utf8_file_is_refused(tmp_path):
    path = write(tmp_path, b"config:\n  aws:region: eu-west-1\n  acme:name: caf\xe9\n")
    assert refusal(path) == [
        "is not UTF-8 text (byte 0xe9 on line 3). Fix: save the file as UTF-8 (Pulumi reads stack files as UTF-8)"
    ]


def test_a_directory_is_refused(tmp_path):
    directory = tmp_path / "Pulumi.dir.yaml"
    directory.mkdir()
    assert refusal(directory) == ["is a directory, not a stack file. Fix: pass a file such as stacks/Pulumi.dev.yaml"]


def test_a_directory_given_to_the_plan_exits_2(tmp_path, capsys):
    directory = tmp_path / "Pulumi.dir.yaml"
    directory.mkdir()
    assert main(["--config-file", str(directory), "--project-dir", str(REPO)]) == 2
    assert "is a directory, not a stack file" in capsys.readouterr().err


@pytest.mark.parametrize("depth", [100, 5000])
def test_very_deep_nesting_is_refused_before_composing(tmp_path, depth):
    path = write(tmp_path, "config:\n  acme:deep: " + "[" * depth + "]" * depth + "\n")
    assert refusal(path) == [
        "nested more than 64 levels deep (line 2). Fix: flatten the structure; the ml-serving schema needs fewer "
        "than 10 levels"
    ]


def test_alias_bomb_is_refused_fast(tmp_path):
    lines = ['  acme:a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    previous = "a"
    for name in "bcdefghi":
        lines.append(f"  acme:{name}: &{name} [" + ",".join([f"*{previous}"] * 9) + "]")
        previous = name
    text = "config:\n" + "\n".join(lines) + "\n"
    path = write(tmp_path, text)
    assert len(text.encode()) < 700
    started = time.perf_counter()
    assert refusal(path) == [
        "expands to more than 100000 values once its YAML aliases are followed. Fix: write the values out, or use "
        "fewer nested aliases"
    ]
    assert time.perf_counter() - started < 2.0


def test_infinity_in_an_object_is_refused_as_pulumi_cannot_store_it(tmp_path):
    path = write(tmp_path, "config:\n  acme:limits: {rate: .inf, burst: .nan}\n")
    assert refusal(path) == [
        "acme:limits.rate: .inf (infinity or not-a-number) cannot be stored in a Pulumi config object. Fix: write a "
        "finite number",
        "acme:limits.burst: .nan (infinity or not-a-number) cannot be stored in a Pulumi config object. Fix: write a "
        "finite number",
    ]


def test_python_object_tags_are_refused(tmp_path):
    path = write(tmp_path, "config:\n  acme:x: !!python/object:os.system {}\n")
    assert refusal(path) == [
        "acme:x: the YAML tag !!python/object:os.system is not a config value. Fix: remove the tag"
    ]


def test_syntax_error_and_non_mapping_documents(tmp_path):
    assert refusal(write(tmp_path, "config: [unclosed\n", "a"))[0].startswith("not valid YAML: ")
    assert refusal(write(tmp_path, "- a\n- b\n", "b")) == ["the file is not a YAML mapping. Fix: start with `config:`"]
    assert refusal(write(tmp_path, "config: [1, 2]\n", "c")) == [
        "config: must be a mapping of keys. Fix: indent the keys under `config:`"
    ]
    assert read_stack_file(write(tmp_path, "", "d")) == {}


def test_empty_and_text_values_of_the_namespace_are_refused_not_crashed(tmp_path, capsys):
    empty = write(
        tmp_path, "config:\n  aws:region: eu-west-1\n  ml-serving:defaults:\n  ml-serving:deployments: []\n", "a"
    )
    assert main(["--config-file", str(empty), "--json", "--project-dir", str(REPO)]) == 0
    text = write(tmp_path, "config:\n  ml-serving:deployments: ranker\n", "b")
    assert main(["--config-file", str(text), "--project-dir", str(REPO)]) == 2
    assert "deployments: must be a list of deployments, got 'ranker'" in capsys.readouterr().err
