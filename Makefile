# The two README commands are `make run` and `make test`; both install first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)
BENCH_STAMP := $(VENV)/.bench-installed-$(shell sha1sum bench/requirements.txt | cut -c1-12)

.PHONY: install run test bench clean

install: $(STAMP)

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

run: install
	$(PY) run.py demo

test: install
	$(PY) -m pytest -q $(PYTEST_ARGS)

# The bench's own packages (WeRoBot, the peer it measures against) go beside the runtime's.
$(BENCH_STAMP): bench/requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	rm -f $(VENV)/.bench-installed-* && touch $@

bench: install $(BENCH_STAMP)
	$(PY) bench/run_bench.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache
