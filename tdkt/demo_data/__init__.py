"""A generated Ministry of Industry and Trade for the demo and the end-to-end test.

``generate_ministry(seed, staff=…)`` builds it (pure, reproducible); ``write_import_files``
writes the units, people and grades as CSV for the units service's importer; the article's
story (2023 figures, movements, 2024 pledge and targets) is in :mod:`.article`.
"""

from .article import ARTICLE_2023, ARTICLE_PARAGRAPH_2023, MOVEMENTS_2023, PLEDGE_2024_CLAUSES, TARGETS_2024
from .generator import DEFAULT_STAFF, MIN_STAFF, TooSmall, generate_ministry
from .model import Ministry, Nomination
from .verify import planned_figures, verify_history

__all__ = [
    "ARTICLE_2023",
    "ARTICLE_PARAGRAPH_2023",
    "DEFAULT_STAFF",
    "MIN_STAFF",
    "MOVEMENTS_2023",
    "Ministry",
    "Nomination",
    "PLEDGE_2024_CLAUSES",
    "TARGETS_2024",
    "TooSmall",
    "generate_ministry",
    "planned_figures",
    "verify_history",
]
