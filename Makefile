# opsdept: two commands. `make run` serves the demo; `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell sha1sum requirements.txt | cut -c1-12)
PY := $(BIN)/python

.PHONY: run test install messages makemessages migrate demo bench clean

$(STAMP): requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --disable-pip-version-check -q -r requirements.txt
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

# Compile the translations (.po -> .mo). The compiled files are committed too,
# so a machine without gettext's msgfmt still shows Chinese.
messages: install
	@if command -v msgfmt >/dev/null 2>&1; then $(PY) manage.py compilemessages -v 0; else echo "msgfmt not found: using the committed .mo files"; fi

# Refresh the catalogue after changing user-facing strings.
makemessages: install
	$(PY) manage.py makemessages -l zh_Hans --no-location --ignore=.venv --ignore=staticfiles --ignore=var --ignore=tests --ignore=test-artifacts
	@# Chinese has one plural form; gettext's template adds a second, empty one.
	sed -i '/^msgstr\[1\] ""$$/d' locale/zh_Hans/LC_MESSAGES/django.po

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

run: messages demo
	bash scripts/run-demo.sh

test: messages
	bash scripts/test.sh

# The benchmarks against PostgreSQL and Redis (started like CI); they print figures beside targets.
bench: messages
	bash scripts/bench.sh

clean:
	rm -rf var staticfiles test-artifacts .pytest_cache
