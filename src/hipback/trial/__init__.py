"""Trial mode: concealed stratified randomisation, masking, visit windows, safety, CONSORT.

Pure domain code (standard library and pydantic only). The database-backed workflow comes with
clinic records; until then the CLI keeps a trial in a directory of JSON files
(:mod:`hipback.trial.filestore`). The statistical analysis lives in :mod:`hipback.trial.analysis`.
"""
