// main() of the benchmarks that replay a trace: Google Benchmark's flags,
// and --accesses=N, the replayed trace's length.
#pragma once

#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace ptsim::bench {

// Runs the registered benchmarks; --accesses=N, if given, sets `accesses`.
inline int run_replay_benchmarks(int argc, char** argv, uint64_t& accesses) {
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--accesses=", 11) == 0) {
      accesses = std::strtoull(argv[i] + 11, nullptr, 0);
      continue;
    }
    args.push_back(argv[i]);
  }
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) {
    return 1;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace ptsim::bench
