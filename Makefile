# OrderDesk: two commands on a fresh machine (Python 3.11 and make):
#   make run    set up, migrate, load the demo and serve it on http://127.0.0.1:8000
#   make test   the whole test suite (SQLite unit layer, then everything on PostgreSQL + Redis)
#   make e2e    the browser tests (tests/e2e/) in real Chromium against the live service

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# Where buyers' links (/c/<token>/) point: the demo's messages and the running server's (SITE_URL wins when set).
SITE_URL ?= http://$(HOST)
# The benchmarks' own database (created when missing); bench/README.md has the full commands.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/orderdesk_bench

# The API fuzzer's own database (dropped and created by every run); scripts/api_fuzz.py has the knobs.
API_FUZZ_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/orderdesk_api_fuzz

.PHONY: run test faults e2e api-fuzz install lint check bench-smoke clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

run: install
	$(BIN)/python manage.py migrate --noinput
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py seed_demo
	@echo "Serving on http://$(HOST)/ (Ctrl-C stops it)"
	SITE_URL=$(SITE_URL) $(BIN)/python manage.py runserver $(HOST)

test: install
	./scripts/test

# The fault suite (tests/faults/, README "The fault suite"): its own PostgreSQL cluster (FAULTS_PG_PORT,
# 5441) and Redis (FAULTS_REDIS_PORT, 6391), gunicorn, a Celery worker and beat, killed and restarted.
faults: install
	$(BIN)/pytest tests/faults -m faults -n 0 -q -rA --no-header
# Needs Debian's chromium (and fonts-noto-cjk for readable screenshots); .ci/run installs both.
e2e: install
	./scripts/e2e

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

check: install
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# CI proves the benchmarks still start and work: a second per target, 2,000 orders, a few samples,
# 200 messages through a real Celery worker (Redis: $BENCH_REDIS_URL, default db 14).
bench-smoke: export BENCH_DATABASE_URL := $(BENCH_DATABASE_URL)
bench-smoke: install
	$(BIN)/python -m bench.intake --smoke
	$(BIN)/python -m bench.detail --smoke
	$(BIN)/python -m bench.scale --smoke --database-url $(BENCH_DATABASE_URL)
	$(BIN)/python -m bench.lists --smoke --database-url $(BENCH_DATABASE_URL)
	$(BIN)/python -m bench.checks --smoke
	$(BIN)/python -m bench.profile --smoke
	$(BIN)/python -m bench.messages --smoke

# schemathesis (every check, fixed seed) against gunicorn on PostgreSQL, as a storefront and as each staff
# role; fails on any failure. Reports in api-fuzz-report/.
api-fuzz: export API_FUZZ_DATABASE_URL := $(API_FUZZ_DATABASE_URL)
api-fuzz: install
	$(BIN)/python scripts/api_fuzz.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles var/e2e api-fuzz-report
