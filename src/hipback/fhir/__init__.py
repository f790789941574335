"""HL7 FHIR R4 mapping of hipback records (fhir.resources R4B models); pure, no database.

``build_bundle(exchange, timestamp)`` turns plain records (:mod:`hipback.fhir.records`) into a
collection Bundle; ``read_bundle(bundle)`` reads one back, raising
:class:`hipback.errors.InvalidInput` whose problems name
``Bundle.entry[i].resource(Type).path``.
See docs/fhir.md for the mapping, identifiers and code systems.
"""

from hipback.fhir.bundle import build_bundle
from hipback.fhir.reader import read_bundle

__all__ = ["build_bundle", "read_bundle"]
