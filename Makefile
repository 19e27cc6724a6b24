# Convenience wrappers; the scripts do the work (and install everything they need).
.PHONY: setup run test package smoke
setup:
	scripts/setup.sh --all-models
run:
	scripts/run.sh
test:
	scripts/test.sh
# The standalone app in dist/viva/ (PyInstaller one-folder build with the default models), then its smoke test.
package:
	packaging/build.sh
smoke:
	packaging/smoke.sh
