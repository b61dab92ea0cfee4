// The machine's own cost of dependent loads, timed beside a benchmark so
// that its figure can be read against what the host does at that moment
// (issue 6 asks for the comparison in the same run), and the counters that
// print it.
#pragma once

#include <benchmark/benchmark.h>
#include <time.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace ptsim::bench {

// CPU time of this thread in ns: Google Benchmark reports CPU time too, and
// on a shared machine wall time mostly measures the other processes.
inline double cpu_ns() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e9 + static_cast<double>(t.tv_nsec);
}

// The machine's own cost of `loads` dependent loads an operation: a chase
// through one random cycle over `bytes` of host memory (so each load waits
// for the one before and the prefetcher cannot guess), `ops` operations;
// ns an operation.
inline double host_loads_ns(size_t bytes, unsigned loads, uint64_t ops) {
  const size_t n = bytes / sizeof(uint64_t);
  std::vector<uint64_t> next(n);
  for (size_t k = 0; k < n; ++k) {
    next[k] = k;
  }
  std::mt19937_64 rng(3);
  for (size_t k = n - 1; k > 0; --k) {  // Sattolo: a single cycle
    std::swap(next[k], next[rng() % k]);
  }
  uint64_t p = 0;
  const double t0 = cpu_ns();
  for (uint64_t op = 0; op < ops; ++op) {
    for (unsigned k = 0; k < loads; ++k) {
      p = next[p];
    }
  }
  benchmark::DoNotOptimize(p);
  return (cpu_ns() - t0) / static_cast<double>(ops);
}

// Beside a benchmark's time: the dependent-load loop's time and how many
// loads that loop makes an operation; with side_by_side(), also the target
// the figure is held to.
inline void beside_host_loads(benchmark::State& state, double host_loads, double loads) {
  state.counters["host_loads"] = host_loads;
  state.counters["loads"] = loads;
}

inline void side_by_side(benchmark::State& state, double target, double host_loads, double loads) {
  state.counters["target"] = target;
  beside_host_loads(state, host_loads, loads);
}

}  // namespace ptsim::bench
