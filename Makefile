# Convenience wrappers; the scripts do the work (and install everything they need).
.PHONY: setup run test
setup:
	scripts/setup.sh --all-models
run:
	scripts/run.sh
test:
	scripts/test.sh
