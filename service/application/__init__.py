"""The use cases, one module per capability, and the `Regimen` facade over them."""

from service.application.regimen import Regimen

__all__ = ["Regimen"]
