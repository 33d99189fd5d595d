# The two commands: `make serve` and `make test`. Both install whatever is missing first.
PORT ?= 8080

.PHONY: serve test setup

serve:
	PORT=$(PORT) bash scripts/serve.sh

test:
	bash scripts/test.sh

setup:
	bash scripts/setup.sh
