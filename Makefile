# The two commands of the README: `make run` and `make test`. Each installs what is missing first.
SHELL := /bin/bash
DATA_DIR ?= ./data
DEV_SECRET_FILE := $(DATA_DIR)/.dev-jwt-secret

.PHONY: deps run build test bench token clean dev-secret

deps:
	@./scripts/install-deps.sh

# The server and every bundled plugin library (renum refuses to start without them).
build: deps
	swift build -c release

# Without RENUM_JWT_SECRET, a development secret is generated once into $(DEV_SECRET_FILE)
# (mode 0600); `run` and `token` both use it, so tokens minted here are accepted there.
dev-secret:
	@mkdir -p $(DATA_DIR) && chmod 700 $(DATA_DIR)
	@if [ -z "$$RENUM_JWT_SECRET" ] && [ ! -s $(DEV_SECRET_FILE) ]; then \
		umask 077; openssl rand -hex 32 > $(DEV_SECRET_FILE); \
		echo "renum: no RENUM_JWT_SECRET set; generated a development secret in $(DEV_SECRET_FILE)" >&2; fi

# Starts the server on the embedded default (SQLite in ./data).
run: build dev-secret
	RENUM_JWT_SECRET="$${RENUM_JWT_SECRET:-$$(cat $(DEV_SECRET_FILE))}" RENUM_DATA_DIR=$(DATA_DIR) .build/release/renum serve

# Prints a token for SUB (a user UUID) signed with the same secret `make run` uses. ADMIN=1 for an admin.
token: dev-secret
	@[ -x .build/release/renum ] || swift build -c release >&2
	@RENUM_JWT_SECRET="$${RENUM_JWT_SECRET:-$$(cat $(DEV_SECRET_FILE))}" .build/release/renum token \
		--sub $${SUB:-$$(cat /proc/sys/kernel/random/uuid)} $(if $(ADMIN),--admin,)

# Builds everything (the tests start the real renum executable) and runs every test.
test: deps
	swift build
	swift test

bench: deps
	@./scripts/install-deps.sh --bench
	./bench/http.sh

clean:
	swift package clean
