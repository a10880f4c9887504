# OrderDesk: two commands on a fresh machine (Python 3.11 and make):
#   make run    set up, migrate, load the demo and serve it on http://127.0.0.1:8000
#   make test   the whole test suite (SQLite unit layer, then everything on PostgreSQL + Redis)

PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000
# The benchmarks' own database (created when missing); bench/README.md has the full commands.
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/orderdesk_bench

# The API fuzzer's own database (dropped and created by every run); scripts/api_fuzz.py has the knobs.
API_FUZZ_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/orderdesk_api_fuzz

.PHONY: run test install lint check bench-smoke api-fuzz clean

install: $(VENV)/.installed

$(VENV)/.installed: requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	touch $@

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo --base-url http://$(HOST)
	@echo "Serving on http://$(HOST)/ (Ctrl-C stops it)"
	$(BIN)/python manage.py runserver $(HOST)

test: install
	./scripts/test

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
	$(BIN)/python -m bench.scale --smoke --database-url $(BENCH_DATABASE_URL)
	$(BIN)/python -m bench.checks --smoke
	$(BIN)/python -m bench.profile --smoke
	$(BIN)/python -m bench.messages --smoke

# schemathesis (every check, fixed seed) against gunicorn on PostgreSQL, as a storefront and as each staff
# role; fails on any failure. Reports in api-fuzz-report/.
api-fuzz: export API_FUZZ_DATABASE_URL := $(API_FUZZ_DATABASE_URL)
api-fuzz: install
	$(BIN)/python scripts/api_fuzz.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles api-fuzz-report
