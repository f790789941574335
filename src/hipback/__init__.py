"""hipback: hip-focused physical therapy for older adults with chronic low back pain.

Outcome measures, screening and tailoring, clinic records and trial mode modelled on the
MASH trial (Hicks et al., Lancet Rheumatol 2024). Importing this package has no side effects.
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
