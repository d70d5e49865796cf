# Hyte navigator. `make run` and `make test` are all a new machine needs.
SHELL := /bin/bash
export PYTHONPATH := $(CURDIR)
export TF_CPP_MIN_LOG_LEVEL := 2
SERVICES_PY := .venv/bin/python
RASA := .venv-rasa/bin/rasa

.PHONY: run setup model sync catalog real-catalog test test-unit test-stories browser-deps validate lint bench nlu-eval clean

run: setup model catalog           ## install what is missing, train if needed, load the demo catalog, start all
	scripts/run.sh

setup:                            ## Debian packages and both virtual environments
	scripts/setup.sh

model: setup                      ## train the Rasa model when its inputs changed
	scripts/model.sh

sync: setup                       ## update the catalog from the PTV open API (PTV_API_URL, PTV_AREA)
	$(SERVICES_PY) -m bot.catalog sync

catalog: setup                    ## generate and load the demo catalog
	scripts/catalog.sh

real-catalog: setup              ## load the 1,793 real PTV services of ../shared/data/ptv-real-names (then `make run`)
	@test -d ../shared/data/ptv-real-names/catalog/services || { echo "../shared/data/ptv-real-names is not beside the clone"; exit 1; }
	PYTHONPATH=. $(SERVICES_PY) -m bot.catalog import ../shared/data/ptv-real-names/catalog

validate: setup
	$(RASA) data validate --domain domain.yml --data data --config config.yml

test: setup model validate test-stories browser-deps   ## the whole test suite
	$(SERVICES_PY) -m pytest tests --ignore=tests/rasa -p no:cacheprovider
	.venv-rasa/bin/python -m pytest tests/rasa --confcutdir=tests/rasa -p no:cacheprovider

browser-deps:                     ## Playwright (npm) and axe-core for the browser tests; chromium is Debian's
	@test -d tests/browser/node_modules/playwright-core || npm ci --prefix tests/browser --no-audit --no-fund

test-stories: setup model         ## dialogue flows: rasa test core, any wrong prediction fails
	$(RASA) test core --model models/current.tar.gz --stories tests/stories --fail-on-prediction-errors \
	  --out results/stories --endpoints tests/stories/no-endpoints.yml

test-unit: setup
	$(SERVICES_PY) -m pytest tests --ignore=tests/rasa --ignore=tests/integration -p no:cacheprovider

lint: setup
	.venv/bin/ruff check bot actions connectors tests bench
	.venv/bin/mypy

bench: setup model catalog nlu-eval   ## benchmarks; results go to docs/benchmarks.md and docs/nlu-report.md
	EXTRA_DEBIAN_PACKAGES=postgresql scripts/setup.sh   # the PostgreSQL rows use a throw-away server
	$(SERVICES_PY) -m bench.run --record
	$(SERVICES_PY) -m bench.relevance --record
	$(SERVICES_PY) -m bench.real_relevance --split test --postgres --record
	$(SERVICES_PY) -m bench.real_theming --split test --record

nlu-eval: setup model             ## held-out test, baseline comparison, 5-fold CV -> docs/nlu-report.md
	.venv-rasa/bin/python -m bench.nlu_eval

clean:
	rm -rf var models .venv .venv-rasa
