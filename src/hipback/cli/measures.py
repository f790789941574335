"""``hipback score`` and ``hipback measures list``."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer

from hipback.cli.jsonio import read_json_object
from hipback.errors import InvalidInput

app = typer.Typer(help="The outcome-measure registry.", no_args_is_help=True)

CHUNK = 10_000


def _patient(age: float | None, sex: str | None) -> dict[str, Any] | None:
    patient: dict[str, Any] = {}
    if age is not None:
        patient["age"] = age
    if sex is not None:
        patient["sex"] = sex
    return patient or None


def score_command(
    instrument: Annotated[
        str, typer.Argument(help="Instrument id, e.g. qbpds (see `measures list`).")
    ],
    input_file: Annotated[
        Path | None, typer.Option("--input", "-i", help="Read from FILE instead of stdin.")
    ] = None,
    batch: Annotated[
        bool, typer.Option("--batch", help="Input is CSV (one column per input) or JSONL.")
    ] = False,
    age: Annotated[float | None, typer.Option(help="Patient age, for norms.")] = None,
    sex: Annotated[str | None, typer.Option(help="Patient sex (female|male), for norms.")] = None,
) -> None:
    """Score one JSON response object (or, with --batch, a CSV/JSONL file) and print JSON."""
    from hipback import measures

    measure = measures.get(instrument)
    patient = _patient(age, sex)
    measures.Patient.from_mapping(patient)  # validate before reading input
    if not batch:
        responses = read_json_object(input_file)
        result = measure.score(responses)
        out = result.as_dict()
        out["interpretation"] = measures.interpret(result, patient)
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return
    if input_file is None:
        raise InvalidInput.one("--input", None, "a CSV or JSONL file", "--batch needs a file")
    for row in _batch_rows(instrument, input_file):
        print(json.dumps(row, ensure_ascii=False))


def _batch_rows(instrument: str, path: Path) -> Iterator[dict[str, Any]]:
    import pandas as pd
    from rich.console import Console
    from rich.progress import Progress

    from hipback import measures

    console = Console(stderr=True)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        frame = pd.read_csv(path)
        chunks: list[Any] = [frame.iloc[i : i + CHUNK] for i in range(0, len(frame), CHUNK)]
        total = len(frame)
    elif suffix in (".jsonl", ".ndjson"):
        objects = []
        with path.open(encoding="utf-8") as fh:
            for n, line in enumerate(fh, 1):
                if line.strip():
                    try:
                        objects.append(json.loads(line))
                    except json.JSONDecodeError as exc:
                        raise InvalidInput.one(
                            f"line {n}", line[:40], "one JSON object per line", exc.msg
                        ) from None
        chunks = [objects[i : i + CHUNK] for i in range(0, len(objects), CHUNK)]
        total = len(objects)
    else:
        raise InvalidInput.one("--input", str(path), "a file ending in .csv, .jsonl or .ndjson")
    done = 0
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(f"scoring {instrument}", total=total)
        for chunk in chunks:
            result = measures.score_batch(instrument, chunk)
            for offset, record in enumerate(result.to_records()):
                record["row"] = done + offset + 1
                yield record
            done += len(result)
            progress.update(task, completed=done)


@app.command("list")
def list_measures(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """Print the instrument registry."""
    from rich.console import Console
    from rich.table import Table

    from hipback import measures

    rows: list[dict[str, Any]] = []
    for m in measures.all_measures():
        spec = m.spec
        rows.append(
            {
                "id": spec.id,
                "name": spec.name,
                "version": spec.version,
                "range": [spec.score_min, spec.score_max],
                "unit": spec.unit,
                "direction": spec.direction,
                "items": len(spec.items),
                "loinc": spec.loinc.code if spec.loinc else None,
                "licence": spec.licence.status,
                "scoring_confidence": spec.scoring_source.confidence.value,
            }
        )
    if as_json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table(title="hipback instruments")
    for col in ("id", "name", "range", "unit", "higher is", "licence", "scoring"):
        table.add_column(col)
    for r in rows:
        lo, hi = r["range"]
        table.add_row(
            r["id"],
            r["name"],
            f"{lo:g}-{hi:g}",
            r["unit"],
            "worse" if r["direction"] == "higher_is_worse" else "better",
            r["licence"],
            r["scoring_confidence"],
        )
    Console().print(table)
