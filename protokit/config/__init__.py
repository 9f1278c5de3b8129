"""Configuration: ``protokit.yaml``, or Buf's ``buf.yaml`` / ``buf.work.yaml`` read as is."""

from protokit.config.discover import find_config, load_config
from protokit.config.model import BreakingConfig, CheckConfig, Config, LintConfig, Module

__all__ = [
    "BreakingConfig",
    "CheckConfig",
    "Config",
    "LintConfig",
    "Module",
    "find_config",
    "load_config",
]
