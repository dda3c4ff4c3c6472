"""Warehouse-native Customer Data Platform: raw-data loader, demo generator, benchmarks."""

__version__ = "0.1.0"
