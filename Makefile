# The two front-door commands; each installs what it needs when missing.
.PHONY: run test screenshots

run:
	scripts/run.sh

test:
	scripts/test.sh

screenshots:
	scripts/screenshots.sh
