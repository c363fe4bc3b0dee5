# The two commands: `make run` starts the whole product, `make test` runs the tests.
.PHONY: run test lint bench

run:
	@scripts/bootstrap.sh
	@.venv/bin/python scripts/run.py

test:
	@scripts/bootstrap.sh
	@scripts/install-browser.sh
	@.venv/bin/python -m pytest -n 2 --dist loadgroup $(ARGS)

lint:
	@scripts/bootstrap.sh
	@.venv/bin/ruff check .

bench:
	@scripts/bootstrap.sh
	@scripts/install-bench-tools.sh
	@.venv/bin/python -m bench $(ARGS)
