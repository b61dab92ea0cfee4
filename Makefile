# The two set-up commands of the README, plus a few conveniences.
#   make run    install missing Debian packages, build Release, run the default job
#   make test   install missing Debian packages, build with ASan+UBSan, run ctest:
#               first the leak check's own test (LeakSanitizer must report a
#               deliberate leak), then every test with LeakSanitizer on
#   make fuzz   install clang and libFuzzer, build tests/fuzz, run each target
#               FUZZ_SECONDS (default 60) on its seed corpus
JOBS ?= $(shell nproc)
CMAKE_GEN := -G Ninja

.PHONY: run test build bench deps fuzz clean

deps:
	./scripts/install-deps.sh

build: deps
	cmake -S . -B build/release $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Release -DPTSIM_BUILD_TESTS=OFF
	cmake --build build/release -j $(JOBS)

run: build
	./build/release/ptsim

test: deps
	cmake -S . -B build/asan $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=Debug -DPTSIM_SANITIZE=ON -DPTSIM_BUILD_BENCH=OFF
	cmake --build build/asan -j $(JOBS)
	# Leak check (docs/testing.md): every test runs with ASAN_OPTIONS=detect_leaks=1
	# (tests/CMakeLists.txt); first prove that a leak fails a test.
	cd build/asan && ctest --output-on-failure -L leak_check
	cd build/asan && ctest --output-on-failure -j $(JOBS) -LE leak_check

bench: build
	@for b in build/release/bench/*_bench; do echo "== $$b"; $$b; done

FUZZ_SECONDS ?= 60
fuzz:
	./scripts/install-deps.sh fuzz
	cmake -S . -B build/fuzz $(CMAKE_GEN) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ \
	  -DPTSIM_FUZZ=ON -DPTSIM_BUILD_TESTS=OFF -DPTSIM_BUILD_BENCH=OFF
	cmake --build build/fuzz -j $(JOBS)
	FUZZ_SECONDS=$(FUZZ_SECONDS) ./scripts/run-fuzz.sh

clean:
	rm -rf build
