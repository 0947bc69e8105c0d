"""designkit: the library behind the Design for Children course kit.

Subpackages (imports point down only):

- ``designkit.data``      the catalogue of real child-welfare datasets (offline) and a live UNICEF SDMX loader
- ``designkit.framing``   design artefacts as dataclasses with ``validate()`` feedback
- ``designkit.plots``     matplotlib figures with alt text
- ``designkit.widgets``   ipywidgets editors over the framing models
- ``designkit.checks``    comparisons with teaching messages, for grade cells and self-checks
- ``designkit.classroom`` the instructor pipeline over nbgrader (never imported by student code)

``import designkit`` is cheap: subpackages load when first used.

>>> import designkit
>>> designkit.__version__
'0.1.0'
"""
import importlib

__version__ = "0.1.0"
__all__ = ["data", "framing", "plots", "widgets", "checks", "__version__"]


def __getattr__(name: str):
    if name in __all__:
        return importlib.import_module(f"designkit.{name}")
    raise AttributeError(f"module 'designkit' has no attribute {name!r}")
