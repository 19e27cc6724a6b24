"""User configuration: defaults, TOML parsing, and one-line errors that name the file."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import config as config_mod
from app.config import Config, Targets
from app.errors import ConfigError


def _write(tmp_path: Path, text: str) -> Path:
    p = tmp_path / "config.toml"
    p.write_text(text, encoding="utf-8")
    return p


def _error(path: Path) -> str:
    with pytest.raises(ConfigError) as e:
        config_mod.load(path)
    msg = str(e.value)
    assert "\n" not in msg
    assert str(path) in msg
    assert e.value.exit_code == 8
    return msg


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    cfg = config_mod.load(tmp_path / "nope.toml")
    assert cfg == Config()
    assert cfg.device == "cpu" and cfg.whisper_model == "whisper-tiny.en" and cfg.cpu_threads == 2
    assert cfg.targets == Targets(wpm_low=130.0, wpm_high=160.0, fillers_per_100_max=3.0, long_pause_s=2.0)
    assert cfg.effective_compute_type == "int8"


def test_empty_file_gives_defaults(tmp_path: Path) -> None:
    assert config_mod.load(_write(tmp_path, "# nothing set\n")) == Config()


def test_toml_values_and_targets_are_parsed(tmp_path: Path) -> None:
    path = _write(tmp_path, """
whisper_model = "whisper-base.en"
device = "cuda"
cpu_threads = 6
n_gpu_layers = -1
tts_rate = 150
input_device = "USB mic"

[targets]
wpm_low = 120
wpm_high = 150.5
fillers_per_100_max = 2.0
""")
    cfg = config_mod.load(path)
    assert cfg.whisper_model == "whisper-base.en"
    assert cfg.device == "cuda" and cfg.effective_compute_type == "float16"
    assert cfg.cpu_threads == 6 and cfg.n_gpu_layers == -1 and cfg.tts_rate == 150
    assert cfg.input_device == "USB mic"
    assert cfg.targets.wpm_low == 120.0 and isinstance(cfg.targets.wpm_low, float)
    assert cfg.targets.wpm_high == 150.5
    assert cfg.targets.fillers_per_100_max == 2.0
    assert cfg.targets.long_pause_s == 2.0  # not set: default kept
    # Untouched settings keep their defaults.
    assert cfg.llm_model == Config().llm_model and cfg.n_ctx == 2048


def test_explicit_compute_type_wins(tmp_path: Path) -> None:
    cfg = config_mod.load(_write(tmp_path, 'device = "cuda"\ncompute_type = "int8_float16"\n'))
    assert cfg.effective_compute_type == "int8_float16"


def test_unknown_key(tmp_path: Path) -> None:
    msg = _error(_write(tmp_path, 'whisper = "tiny"\n'))
    assert "unknown setting 'whisper'" in msg


def test_unknown_key_in_targets(tmp_path: Path) -> None:
    msg = _error(_write(tmp_path, "[targets]\nwpm_min = 100\n"))
    assert "unknown setting 'wpm_min'" in msg


@pytest.mark.parametrize("text, fragment", [
    ('cpu_threads = "four"\n', "cpu_threads must be a"),
    ("tts_rate = [170]\n", "tts_rate must be a"),
    ('[targets]\nwpm_low = "slow"\n', "wpm_low must be a float"),
])
def test_wrong_type(tmp_path: Path, text: str, fragment: str) -> None:
    assert fragment in _error(_write(tmp_path, text))


def test_targets_must_be_a_table(tmp_path: Path) -> None:
    assert "[targets] must be a table" in _error(_write(tmp_path, "targets = 3\n"))


@pytest.mark.parametrize("text", ["cpu_threads = 2.9\n", "cpu_threads = true\n", 'whisper_model = ["tiny"]\n'])
def test_wrong_type_is_not_silently_coerced(tmp_path: Path, text: str) -> None:
    _error(_write(tmp_path, text))


@pytest.mark.parametrize("device", ["gpu", "CUDA", "mps"])
def test_bad_device(tmp_path: Path, device: str) -> None:
    msg = _error(_write(tmp_path, f'device = "{device}"\n'))
    assert "device must be one of cpu, cuda" in msg and repr(device) in msg


def test_bad_n_gpu_layers(tmp_path: Path) -> None:
    assert "n_gpu_layers" in _error(_write(tmp_path, "n_gpu_layers = -2\n"))


@pytest.mark.parametrize("text", ['device = "cpu\n', "cpu_threads = \n", "[targets\n", "a = 1\na = 2\n"])
def test_invalid_toml(tmp_path: Path, text: str) -> None:
    assert "not valid TOML" in _error(_write(tmp_path, text))


def test_not_utf8(tmp_path: Path) -> None:
    p = tmp_path / "config.toml"
    p.write_bytes(b'tts_voice = "\xff\xfe"\n')
    assert "not valid TOML" in _error(p)


def test_unreadable_config_raises_config_error(tmp_path: Path) -> None:
    p = tmp_path / "config.toml"
    p.mkdir()
    _error(p)


def test_with_overrides_ignores_none() -> None:
    cfg = config_mod.with_overrides(Config(), device="cuda", whisper_model=None)
    assert cfg.device == "cuda" and cfg.whisper_model == Config().whisper_model
