from hipback.cli import run

run()
