# The coral interface's one description (abi/coral.def) against its copies:
# the SDK (C, Rust, env.wat), the node mock and docs/abi.md.

.PHONY: check-abi
check-abi:
	python3 scripts/check-abi.py

TEST_SUITES += check-abi
