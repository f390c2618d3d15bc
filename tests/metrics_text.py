"""Read Prometheus' text format the way a scraper does, for assertions on metric samples."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families


class Scrape:
    """One scrape: `value(name, **labels)` is the sample's value (0 when absent, like a fresh counter)."""

    def __init__(self, text: str) -> None:
        self.samples = {(s.name, frozenset(s.labels.items())): s.value
                        for family in text_string_to_metric_families(text) for s in family.samples}

    def value(self, name: str, **labels: str) -> float:
        """The sample with exactly these labels."""
        return self.samples.get((name, frozenset(labels.items())), 0.0)

    def names(self) -> set[str]:
        """Every sample name present."""
        return {name for name, _ in self.samples}
