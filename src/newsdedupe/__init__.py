"""newsdedupe: remove repeated paragraphs from news-article text.

The public API is one pure function, :func:`dedupe_text`, plus the option and
result types it uses. The command line (``dedupe``) is a thin shell around it.
"""

from newsdedupe.config import Options
from newsdedupe.core import DedupeResult, Kept, Removal, dedupe_text

__version__ = "0.1.0"

__all__ = ["DedupeResult", "Kept", "Options", "Removal", "__version__", "dedupe_text"]
