"""Errors of the data layer: each names the thing that went wrong and what to do."""


class DataError(Exception):
    """Base class for designkit.data errors."""


class UnknownDatasetError(DataError, KeyError):
    """A dataset name that is not in the catalogue."""

    def __str__(self) -> str:  # KeyError would otherwise quote the whole message
        return str(self.args[0]) if self.args else ""


class CountryNotFoundError(DataError, ValueError):
    """A country name that country_converter cannot match to an ISO3 code."""


class CacheError(DataError):
    """A cache file that cannot be read (corrupt or truncated)."""


class OfflineError(DataError):
    """Data that is not in the cache while the loader is offline."""
