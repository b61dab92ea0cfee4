// memblock under load: 10,000 memory regions, then 100,000 mixed operations
// (reserve, free, allocate top-down and bottom-up, mark/clear NOMAP, remove
// and re-add memory, queries), as a large boot with many firmware holes
// might do.  Reports the time per operation (ns_per_op) and the regions
// reached.
#include <benchmark/benchmark.h>

#include <cstdint>

#include "ptsim/kernel/mm/memblock.h"
#include "rss.h"

namespace {

using ptsim::kernel::Memblock;
using ptsim::kernel::phys_addr_t;

constexpr int kRegions = 10000;
constexpr int kOps = 100000;
// 4 MiB regions 8 MiB apart: room enough for the doubled region arrays
// (16,384 entries of 24 bytes), as a real machine would have.
constexpr phys_addr_t kStride = 0x800000;
constexpr phys_addr_t kRegionSize = 0x400000;
constexpr phys_addr_t kBase = 0x80000000;
constexpr phys_addr_t kPage = 0x1000;

// A small deterministic generator, so every run does the same work.
struct Lcg {
  uint64_t state = 0x9e3779b97f4a7c15ULL;
  uint64_t next() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return state >> 33;
  }
  uint64_t below(uint64_t n) { return next() % n; }
};

// 10,000 disjoint memory regions; the arrays double along the way.
void populate(Memblock& mb) {
  mb.memblock_allow_resize();
  for (int i = 0; i < kRegions; i++) {
    mb.memblock_add(kBase + static_cast<phys_addr_t>(i) * kStride, kRegionSize);
  }
}

phys_addr_t page_in_region(Lcg& rng) {
  return kBase + rng.below(kRegions) * kStride + rng.below(kRegionSize / kPage) * kPage;
}

void mixed_operations(Memblock& mb, Lcg& rng) {
  for (int op = 0; op < kOps; op++) {
    const uint64_t kind = rng.below(100);
    if (kind < 30) {
      mb.memblock_reserve(page_in_region(rng), kPage * (1 + rng.below(4)));
    } else if (kind < 50) {
      mb.memblock_phys_free(page_in_region(rng), kPage * (1 + rng.below(8)));
    } else if (kind < 65) {
      benchmark::DoNotOptimize(mb.memblock_phys_alloc(kPage, kPage));
    } else if (kind < 70) {
      mb.memblock_set_bottom_up(true);
      benchmark::DoNotOptimize(mb.memblock_phys_alloc(kPage, kPage));
      mb.memblock_set_bottom_up(false);
    } else if (kind < 80) {
      benchmark::DoNotOptimize(mb.memblock_is_reserved(page_in_region(rng)));
      benchmark::DoNotOptimize(mb.memblock_is_memory(page_in_region(rng)));
    } else if (kind < 90) {
      const phys_addr_t addr = page_in_region(rng);
      mb.memblock_mark_nomap(addr, kPage);
      mb.memblock_clear_nomap(addr, kPage);
    } else {
      const phys_addr_t base = kBase + rng.below(kRegions) * kStride;
      mb.memblock_remove(base, kRegionSize);
      mb.memblock_add(base, kRegionSize);
    }
  }
}

void BM_MemblockMixed(benchmark::State& state) {
  uint64_t max_reserved = 0;
  for (auto _ : state) {
    state.PauseTiming();
    Memblock mb;
    populate(mb);
    Lcg rng;
    state.ResumeTiming();
    mixed_operations(mb, rng);
    state.PauseTiming();
    max_reserved = mb.reserved().cnt;
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * kOps);
  state.counters["ns_per_op"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kOps * 1e-9,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  state.counters["memory_regions"] = kRegions;
  state.counters["reserved_regions_at_end"] = static_cast<double>(max_reserved);
  state.counters["rss_mib"] =
      static_cast<double>(ptsim::bench::resident_bytes()) / (1024.0 * 1024.0);
}
BENCHMARK(BM_MemblockMixed)->Unit(benchmark::kMillisecond);

// Building the 10,000-region memory array itself, doublings included.
void BM_MemblockAdd10000Regions(benchmark::State& state) {
  for (auto _ : state) {
    Memblock mb;
    populate(mb);
    benchmark::DoNotOptimize(mb.memory().cnt);
  }
  state.SetItemsProcessed(state.iterations() * kRegions);
  state.counters["ns_per_op"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kRegions * 1e-9,
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}
BENCHMARK(BM_MemblockAdd10000Regions)->Unit(benchmark::kMillisecond);

}  // namespace
