"""wms: warehouse management for the floor."""

__version__ = "0.1.0"
