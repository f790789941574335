"""HL7 FHIR R4 mapping of hipback records (fhir.resources); pure, no database."""
