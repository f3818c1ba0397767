# The two README commands are `make run` and `make test`; both install first.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)
BENCH_STAMP := $(VENV)/.bench-installed-$(shell sha1sum bench/requirements.txt | cut -c1-12)

.PHONY: install run test bench soak clean

install: $(STAMP)

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	rm -f $(VENV)/.installed-* && touch $@

# make run PORT=8000 SANDBOX_PORT=8001: the web server's and the WeChat API emulator's ports.
PORT ?= 5000
run: install
	$(PY) run.py demo --port $(PORT)$(if $(SANDBOX_PORT), --sandbox-port $(SANDBOX_PORT))

test: install
	$(PY) -m pytest -q $(PYTEST_ARGS)

# The bench's own packages (WeRoBot, the peer it measures against) go beside the runtime's.
$(BENCH_STAMP): bench/requirements.txt
	$(PY) -m pip install --quiet --disable-pip-version-check -r bench/requirements.txt
	rm -f $(VENV)/.bench-installed-* && touch $@

bench: install $(BENCH_STAMP)
	$(PY) bench/run_bench.py $(BENCH_ARGS)

# 1,000 reporters against gunicorn -w 2, two workers, PostgreSQL and Redis; SOAK_ARGS=--faults
soak: install
	$(PY) bench/soak.py $(SOAK_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache
