// Core benchmarks: simulated-memory loads, table walks per configuration,
// and page-granular mapping compared with memset of the same table bytes.
#include <sys/mman.h>

#include <cstring>
#include <random>
#include <vector>

#include <benchmark/benchmark.h>

#include "ptsim/hw/arch/arm64/walk.h"
#include "ptsim/hw/phys_mem.h"
#include "ptsim/kernel/arch/arm64/linear_map.h"
#include "ptsim/kernel/arch/arm64/mm/pgd_mapping.h"
#include "ptsim/kernel/arch/arm64/pgtable.h"
#include "ptsim/kernel/mm/page_alloc.h"
#include "rss.h"

namespace {

using namespace ptsim;
constexpr uint64_t GiB = 1ull << 30;

// A 64-bit load from a backed frame, at addresses spread over 64 MiB.
void BM_PhysMemLoad64(benchmark::State& state) {
  hw::PhysMem mem;
  mem.add_ram(hw::PhysAddr(0x40000000), GiB);
  std::mt19937_64 rng(1);
  std::vector<hw::PhysAddr> addrs(4096);
  for (auto& a : addrs) {
    a = hw::PhysAddr(0x40000000 + (rng() % (64ull << 20)) / 8 * 8);
    mem.store64(a, rng());
  }
  size_t i = 0;
  uint64_t sum = 0;
  for (auto _ : state) {
    sum += mem.load64(addrs[i++ & 4095]);
  }
  benchmark::DoNotOptimize(sum);
}
BENCHMARK(BM_PhysMemLoad64);

// The host's own cost for the same pattern: loads from a plain array.
void BM_HostLoad64Baseline(benchmark::State& state) {
  std::vector<uint64_t> ram((64ull << 20) / 8);
  std::mt19937_64 rng(1);
  std::vector<size_t> idx(4096);
  for (auto& x : idx) {
    x = rng() % ram.size();
    ram[x] = rng();
  }
  size_t i = 0;
  uint64_t sum = 0;
  for (auto _ : state) {
    sum += ram[idx[i++ & 4095]];
  }
  benchmark::DoNotOptimize(sum);
}
BENCHMARK(BM_HostLoad64Baseline);

// One full walk of a page-granular linear map, per configuration.
void BM_Walk(benchmark::State& state) {
  kernel::arm64::LinearMapSpec spec;
  spec.page_shift = static_cast<unsigned>(state.range(0));
  spec.va_bits = static_cast<unsigned>(state.range(1));
  spec.ram_size = 256ull << 20;
  const auto lm = kernel::arm64::build_linear_map(spec);
  const auto request = kernel::arm64::hw_walk_request(lm.geometry, lm.pgdir, lm.virt_start);
  std::mt19937_64 rng(2);
  std::vector<uint64_t> vas(4096);
  for (auto& va : vas) {
    va = lm.virt_start + rng() % spec.ram_size;
  }
  size_t i = 0;
  for (auto _ : state) {
    auto r = hw::arm64::walk(lm.mem, request, vas[i++ & 4095]);
    benchmark::DoNotOptimize(r.output);
  }
  state.SetLabel(lm.geometry.describe());
}
BENCHMARK(BM_Walk)->Args({12, 48})->Args({12, 39})->Args({14, 47})->Args({14, 48})->Args({16, 42})->Args({16, 48});

// Maps `bytes` page-granular (NO_BLOCK_MAPPINGS | NO_CONT_MAPPINGS, as
// map_mem() does with rodata=full) into fresh memory; returns table bytes.
uint64_t map_page_granular(uint64_t bytes, uint64_t* rss_after = nullptr) {
  const kernel::Geometry g = kernel::arm64_geometry(12, 48);
  hw::PhysMem mem;
  const uint64_t table_ram = bytes / 256 + (64ull << 20);  // 8 bytes of pte per 4 KiB, plus room
  mem.add_ram(hw::PhysAddr(0x40000000), table_ram);
  kernel::TopDownPageAllocator pages(mem, 0x40000000, 0x40000000 + table_ram, g.page_size());
  const kernel::phys_addr_t pgdir = pages.alloc_page();
  const kernel::arm64::PgTable pt(g, mem);
  kernel::arm64::PgdMapper mapper(pt, [&](int shift) { return pages.alloc_table(shift); });
  mapper.create_pgd_mapping(pgdir, 0x100000000000ull, 0xffff000000000000ull, bytes, kernel::arm64::PAGE_KERNEL,
                            kernel::arm64::NO_BLOCK_MAPPINGS | kernel::arm64::NO_CONT_MAPPINGS);
  if (rss_after != nullptr) {
    *rss_after = bench::resident_bytes();
  }
  return (pages.allocations().size() + 1) * g.page_size();
}

void BM_MapPageGranular(benchmark::State& state) {
  const uint64_t bytes = static_cast<uint64_t>(state.range(0)) * GiB;
  uint64_t tables = 0;
  for (auto _ : state) {
    tables = map_page_granular(bytes);
  }
  state.counters["table_bytes"] = static_cast<double>(tables);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * tables));
}
BENCHMARK(BM_MapPageGranular)->Arg(1)->Arg(16)->Unit(benchmark::kMillisecond);

// memset of the same number of table bytes into fresh memory, the yardstick
// for the mapping above (target: mapping within 3x of it).
void BM_MemsetTableBytes(benchmark::State& state) {
  const uint64_t bytes = static_cast<uint64_t>(state.range(0)) * GiB;
  const uint64_t tables = (bytes >> 21) * 4096 + 2 * 4096;  // pte tables + pmd + pud
  for (auto _ : state) {
    void* p = ::mmap(nullptr, tables, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    std::memset(p, 0x5a, tables);
    benchmark::ClobberMemory();
    ::munmap(p, tables);
  }
  state.counters["table_bytes"] = static_cast<double>(tables);
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * tables));
}
BENCHMARK(BM_MemsetTableBytes)->Arg(1)->Arg(16)->Unit(benchmark::kMillisecond);

// Host memory for a table build with 2 GiB of pte tables (1 TiB mapped
// page-granular): resident bytes against the table bytes written.
void BM_Rss2GiBTables(benchmark::State& state) {
  uint64_t tables = 0;
  uint64_t rss = 0;
  const uint64_t before = bench::resident_bytes();
  for (auto _ : state) {
    tables = map_page_granular(1024 * GiB, &rss);
  }
  state.counters["table_bytes"] = static_cast<double>(tables);
  state.counters["rss_growth"] = static_cast<double>(rss - before);
  state.counters["rss_over_tables"] = static_cast<double>(rss - before) / static_cast<double>(tables);
}
BENCHMARK(BM_Rss2GiBTables)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
