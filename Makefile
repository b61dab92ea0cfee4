# The two set-up commands of the README, plus a few conveniences.
#   make run    install missing Debian packages, build Release, run the default job
#   make test   install missing Debian packages, build with ASan+UBSan, run ctest
JOBS ?= $(shell nproc)
CMAKE_GEN := -G Ninja

.PHONY: run test build bench deps clean

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
	cd build/asan && ctest --output-on-failure -j $(JOBS)

bench: build
	@for b in build/release/bench/*_bench; do echo "== $$b"; $$b; done

clean:
	rm -rf build
