# The two commands a newcomer needs: `make run` and `make test`. Both install what is missing.
SHELL := /bin/bash
SWIFT ?= swift
DB ?= ./data/registry.sqlite
HOST ?= 127.0.0.1
PORT ?= 8080
BIN := .build/debug/loan-registry

# Debian packages the build, the server and the tests need.
APT_PACKAGES := libsqlite3-dev sqlite3 pkg-config python3 python3-venv curl libargon2-dev libpango1.0-dev libqrencode-dev fonts-ipaexfont-gothic poppler-utils qpdf chromium

.PHONY: run test build release deps bench bench-sign-in bench-api bench-pages crash-test clean

## Serve the REST API on http://$(HOST):$(PORT) with the database at $(DB) (demo clinic added when empty).
run: build
	$(BIN) serve --demo --db $(DB) --host $(HOST) --port $(PORT) --texts ./ConsentTexts

## Build everything and run every test suite (Swift Testing, real SQLite files, the built binary),
## then tampering (Tests/Tamper) and faults (Tests/Faults: clean stop, full disk, read-only, a held
## write lock, a damaged file), then check the API contract against a live server
## (openapi-spec-validator, schemathesis; pinned in Tests/Contract/requirements.txt and installed
## into .build/contract-venv), then the staff pages in Debian's Chromium driven by Playwright
## (Tests/UI; screenshots in .build/ui-screenshots), then 20 cycles of the crash test.
test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	Tests/Tamper/run.sh
	Tests/Faults/run.sh
	Tests/Contract/run.sh
	Tests/UI/run.sh
	$(MAKE) crash-test

## The release server under concurrent loan-flow writes, killed with SIGKILL at random moments and
## restarted: every acknowledged write must be there, states must agree, integrity_check and verify
## must pass. CYCLES=1000 make crash-test is the soak.
CYCLES ?= 20
crash-test: deps
	$(SWIFT) build -c release --product loan-registry
	BIN=.build/release/loan-registry CYCLES=$(CYCLES) Tests/Crash/run.sh

build: deps
	$(SWIFT) build --product loan-registry

release: deps
	$(SWIFT) build -c release --product loan-registry

## Install the Debian packages that are missing (needs root or sudo; no-op when all are present).
deps:
	@missing=""; for p in $(APT_PACKAGES); do \
		dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing; \
	fi

## Benchmarks (release build), one line per figure, all in Benchmarks/results/latest.json:
## in-process (registry-bench: the sign-in KDF, group commit on/off, the overdue first page at a
## million loans against the bare SQL, handout PDFs, audit verification at a million events), then
## HTTP against the release server on loopback (Benchmarks/http/run_all.py: every figure as a ratio
## to the bare router in the same run, p50/p99, RSS; RSS after 1,000,000 requests).
bench: deps
	@for p in wrk faketime; do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || { \
		SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo"; $$SUDO apt-get update -qq; $$SUDO apt-get install -y -qq $$p; }; done
	$(SWIFT) build -c release
	mkdir -p Benchmarks/results
	.build/release/registry-bench --json Benchmarks/results/in-process.json
	python3 Benchmarks/http/run_all.py --bin .build/release/loan-registry --out Benchmarks/results/http.json
	python3 Benchmarks/merge_results.py Benchmarks/results/in-process.json Benchmarks/results/http.json > Benchmarks/results/latest.json
	@echo "wrote Benchmarks/results/latest.json"

## Sign-in rate at 16 connections (release server, wrk on loopback), as a ratio to the bare router.
bench-sign-in: deps
	@dpkg-query -W -f='$${Status}' wrk 2>/dev/null | grep -q "install ok installed" || { \
		SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo"; $$SUDO apt-get install -y -qq wrk; }
	$(SWIFT) build -c release --product loan-registry
	Benchmarks/http/sign-in-rate.sh

## Authenticated reads (device page, patient search, one loan, the OpenAPI document) at 64 connections, as ratios to the bare router.
bench-api: deps
	@dpkg-query -W -f='$${Status}' wrk 2>/dev/null | grep -q "install ok installed" || { \
		SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo"; $$SUDO apt-get install -y -qq wrk; }
	$(SWIFT) build -c release --product loan-registry
	Benchmarks/http/api-rate.sh

## The staff pages at 16 connections (release server, wrk on loopback, session cookie): rate, p50, p99.
bench-pages: deps
	@dpkg-query -W -f='$${Status}' wrk 2>/dev/null | grep -q "install ok installed" || { \
		SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo"; $$SUDO apt-get install -y -qq wrk; }
	$(SWIFT) build -c release --product loan-registry
	Benchmarks/http/pages-rate.sh

clean:
	rm -rf .build
