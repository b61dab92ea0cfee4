// MMU model speed against the targets of issue 6: a TLB hit (<= 5 ns), a
// full 4-level walk from simulated memory (<= 40 ns) and the replay of 100
// million trace accesses (< 10 s).  Each of those benchmarks also times, in
// the same run, a plain loop of the same number of dependent loads on host
// memory, and prints it beside its own figure:
//
//   target      the target for this figure (ns, or s per 100 M)
//   host_loads  the dependent-load loop, same unit
//   loads       dependent loads per operation in that loop: a TLB probe
//               counts two (tag word, entry), a descriptor read one
//
//   mmu_bench [--accesses=N] [Google Benchmark flags]
//
// --accesses sets the length of the replayed trace (default 10 million;
// --accesses=100000000 for the target's length).
#include <benchmark/benchmark.h>
#include <time.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "host_loads.h"
#include "ptsim/hw/arch/arm64/mmu.h"
#include "ptsim/hw/arch/arm64/table_reader.h"
#include "ptsim/hw/arch/arm64/trace.h"
#include "ptsim/hw/arch/arm64/translate.h"
#include "replay_main.h"
#include "rss.h"
#include "synthetic_trace.h"

namespace {

using namespace ptsim::hw;
using ptsim::bench::cpu_ns;
using ptsim::bench::host_loads_ns;
using ptsim::bench::side_by_side;
using namespace ptsim::hw::arm64;

uint64_t g_accesses = 10'000'000;

constexpr uint64_t kRam = 0x40000000;
constexpr uint64_t kMapped = 64ull << 20;  // 64 MiB of 4K pages: 16384 pages, 32 level 3 tables
constexpr uint64_t kVaBase = 0xffff000000000000;

// A 48-bit, 4K-granule regime whose TTBR1 maps kMapped bytes with pages.
struct World {
  PhysMem mem;
  uint64_t next = kRam;  // declared before `regime`, which make() initialises
  Regime regime;

  World() : regime(make()) {}

  uint64_t table() {
    const uint64_t t = next;
    next += 4096;
    return t;
  }

  Regime make() {
    mem.add_ram(PhysAddr(kRam), 256ull << 20);
    const DescriptorFormat f{Granule::k4K, OaFormat::pa48};
    const uint64_t l0 = table();
    const uint64_t l1 = table();
    mem.store64(PhysAddr(l0), make_table(f, 0, PhysAddr(l1)));
    const uint64_t l2 = table();
    mem.store64(PhysAddr(l1), make_table(f, 1, PhysAddr(l2)));
    LeafAttributes a;
    a.af = true;
    a.sh = 3;
    a.ng = true;
    for (uint64_t off = 0; off < kMapped; off += 4096) {
      const uint64_t i2 = off >> 21;
      uint64_t l3e = mem.load64(PhysAddr(l2 + i2 * 8));
      if (l3e == 0) {
        l3e = make_table(f, 2, PhysAddr(table()));
        mem.store64(PhysAddr(l2 + i2 * 8), l3e);
      }
      const uint64_t l3 = l3e & genmask(47, 12);
      mem.store64(PhysAddr(l3 + ((off >> 12) & 511) * 8),
                  make_page(f, PhysAddr(0x80000000 + off), a));
    }
    Registers r;
    r.tcr_el1 = 0x000000b5b5103510ull;  // 48-bit, 4K, IPS 48, AS, TBI0, HA
    r.ttbr1_el1 = l0;
    r.mair_el1 = 0xff;
    return Regime::from_registers(r);
  }
};

World& world() {
  static World w;
  return w;
}

// The walk's own pattern of four dependent loads on host memory: the same
// VAs, three small hot tables, then one of 16384 last-level words (128 KiB)
// chosen by the VA, each load's address depending on the one before, and
// the next VA waiting for the last load (x >> 63 is 0) so rounds do not
// overlap.  Returns the last word, which the caller keeps alive.
struct WalkPatternLoads {
  std::vector<uint64_t> vas, l0, l1, l2, l3;
  WalkPatternLoads();
  uint64_t round(size_t i, uint64_t x) const {
    const uint64_t off = vas[(i + (x >> 63)) & 4095] - kVaBase;
    x = l0[(off >> 39) & 511];
    x = l1[x + ((off >> 30) & 511)];
    x = l2[x + ((off >> 21) & 511)];
    return l3[x + ((off >> 12) & 511)];
  }
  double ns(uint64_t rounds) const {
    uint64_t x = 0;
    const double t0 = cpu_ns();
    for (uint64_t i = 0; i < rounds; ++i) {
      x = round(i, x);
    }
    benchmark::DoNotOptimize(x);
    return (cpu_ns() - t0) / static_cast<double>(rounds);
  }
};

std::vector<uint64_t> random_vas(size_t n, uint64_t span) {
  std::mt19937_64 rng(1);
  std::vector<uint64_t> v(n);
  for (auto& va : v) {
    va = kVaBase + (rng() % span);
  }
  return v;
}

void BM_TlbHit(benchmark::State& state) {
  World& w = world();
  Mmu mmu(w.mem, w.regime);
  const std::vector<uint64_t> vas = random_vas(1024, 64 * 4096);  // 64 pages: all in the TLB
  for (uint64_t va : vas) {
    mmu.access(va, {false, AccessType::read});
  }
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(mmu.access(vas[i++ & 1023], {false, AccessType::read}));
  }
  state.counters["hit_ratio"] =
      static_cast<double>(mmu.stats().hits()) / static_cast<double>(mmu.stats().accesses);
  // The main TLB's tags and entries: 1024 x (8 + 32) bytes.
  side_by_side(state, 5, host_loads_ns(1024 * 40, 2, 1 << 20), 2);
}
BENCHMARK(BM_TlbHit);

// The walk of the world's kernel (TTBR1_EL1) range: 4K granule, 48 bits.
WalkRequest kernel_walk_request(const World& w) {
  WalkRequest req;
  req.format = {Granule::k4K, OaFormat::pa48};
  req.table_base = w.regime.range(true).table_base;
  req.ia_bits = 48;
  req.upper_half = true;
  return req;
}

// The walk as the MMU makes it, with the request planned once (a Walker),
// descriptors read straight from PhysMem.
void BM_Walk4Level(benchmark::State& state) {
  World& w = world();
  const std::vector<uint64_t> vas = random_vas(4096, kMapped);
  const Walker walker(kernel_walk_request(w));
  size_t i = 0;
  for (auto _ : state) {
    const WalkResult r = walker.walk(w.mem, vas[i++ & 4095]);
    benchmark::DoNotOptimize(r.output);
  }
  side_by_side(state, 40, WalkPatternLoads().ns(1 << 20), 4);
}
BENCHMARK(BM_Walk4Level);

// The same, descriptors read through the TableReader's cache of table
// frames, as the MMU front end reads them.
void BM_Walk4LevelFrameCache(benchmark::State& state) {
  World& w = world();
  const std::vector<uint64_t> vas = random_vas(4096, kMapped);
  const Walker walker(kernel_walk_request(w));
  TableReader reader(w.mem);
  size_t i = 0;
  for (auto _ : state) {
    const WalkResult r = walker.walk(reader, vas[i++ & 4095]);
    benchmark::DoNotOptimize(r.output);
  }
  side_by_side(state, 40, WalkPatternLoads().ns(1 << 20), 4);
}
BENCHMARK(BM_Walk4LevelFrameCache);

// A one-off walk, walk(reader, request, va): the request planned anew each
// time, as `ptsim translate` does for each VA it is given.
void BM_Walk4LevelUnplanned(benchmark::State& state) {
  World& w = world();
  const std::vector<uint64_t> vas = random_vas(4096, kMapped);
  const WalkRequest req = kernel_walk_request(w);
  TableReader reader(w.mem);
  size_t i = 0;
  for (auto _ : state) {
    const WalkResult r = walk(reader, req, vas[i++ & 4095]);
    benchmark::DoNotOptimize(r.output);
  }
}
BENCHMARK(BM_Walk4LevelUnplanned);

// The walk as the MMU makes it on a TLB miss: unrecorded, through the table
// reader, then the permission check and the TLB fill.  A one-entry TLB makes
// every access to a random page of the 64 MiB a miss.
void BM_TlbMissWalk4Level(benchmark::State& state) {
  World& w = world();
  const std::vector<uint64_t> vas = random_vas(4096, kMapped);
  TlbConfig c;
  c.entries = 1;
  c.ways = 1;
  Mmu mmu(w.mem, w.regime, c);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(mmu.access(vas[i++ & 4095], {false, AccessType::read}));
  }
  state.counters["walks_per_access"] =
      static_cast<double>(mmu.stats().walks) / static_cast<double>(mmu.stats().accesses);
  side_by_side(state, 40, WalkPatternLoads().ns(1 << 20), 4);
}
BENCHMARK(BM_TlbMissWalk4Level);

void BM_Translate4Level(benchmark::State& state) {
  World& w = world();
  const std::vector<uint64_t> vas = random_vas(4096, kMapped);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        translate_no_update(w.mem, w.regime, vas[i++ & 4095], {false, AccessType::read}).pa);
  }
}
BENCHMARK(BM_Translate4Level);

// Four dependent loads a round over host memory of the tables' footprint:
// the machine's own cost of a 4-level walk's memory accesses.
void BM_FourDependentLoadsHost(benchmark::State& state) {
  const size_t n = (34 * 4096) / 8;  // the walk touches 34 table pages
  std::vector<uint64_t> chain(n);
  std::mt19937_64 rng(2);
  for (size_t k = 0; k < n; ++k) {
    chain[k] = rng() % n;
  }
  uint64_t p = 0;
  for (auto _ : state) {
    p = chain[p];
    p = chain[p];
    p = chain[p];
    p = chain[p];
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(BM_FourDependentLoadsHost);

WalkPatternLoads::WalkPatternLoads()
    : vas(random_vas(4096, kMapped)), l0(512, 0), l1(512, 0), l2(512), l3((kMapped >> 21) * 512) {
  const uint64_t tables = kMapped >> 21;  // 32 last-level tables of 512 entries
  for (uint64_t i = 0; i < 512; ++i) {
    l2[i] = (i % tables) * 512;
  }
  for (uint64_t i = 0; i < l3.size(); ++i) {
    l3[i] = i * 4096;
  }
}

// The loop of WalkPatternLoads as a benchmark of its own.
void BM_FourDependentLoadsHostWalkPattern(benchmark::State& state) {
  const WalkPatternLoads loads;
  size_t i = 0;
  uint64_t x = 0;
  for (auto _ : state) {
    x = loads.round(i++, x);
    benchmark::DoNotOptimize(x);
  }
}
BENCHMARK(BM_FourDependentLoadsHostWalkPattern);

// The same four dependent loads through PhysMem::load64 (its radix lookup
// included), over the table pages themselves.
void BM_FourDependentLoadsPhysMem(benchmark::State& state) {
  World& w = world();
  const uint64_t span = w.next - kRam;
  uint64_t p = 0;
  for (auto _ : state) {
    for (int k = 0; k < 4; ++k) {
      p = w.mem.load64(PhysAddr(kRam + ((p * 8) % span)));
    }
    benchmark::DoNotOptimize(p);
  }
}
BENCHMARK(BM_FourDependentLoadsPhysMem);

// The synthetic trace (synthetic_trace.h) over a 64 MiB working set, with
// an ASID switch and a TLBI now and then.
void replay(benchmark::State& state, const TlbConfig& config) {
  World& w = world();
  const uint64_t n = g_accesses;
  for (auto _ : state) {
    Mmu mmu(w.mem, w.regime, config);
    ptsim::bench::SyntheticTrace trace(kMapped);
    for (uint64_t k = 0; k < n; ++k) {
      const ptsim::bench::SyntheticTrace::Access a = trace.next();
      mmu.access(kVaBase + a.offset, {false, a.write ? AccessType::write : AccessType::read});
      if ((k & 0xfffff) == 0xfffff) {
        mmu.set_asid(static_cast<uint16_t>(k >> 20));
      }
      if ((k & 0x3fffff) == 0x3fffff) {
        mmu.tlbi(TlbiOp::vmalle1);
      }
    }
    state.counters["accesses"] = static_cast<double>(n);
    state.counters["hit_ratio"] = static_cast<double>(mmu.stats().hits()) / static_cast<double>(n);
    state.counters["reads_per_walk"] =
        static_cast<double>(mmu.stats().descriptor_reads) / static_cast<double>(mmu.stats().walks);
    state.counters["ns_per_access"] = benchmark::Counter(
        static_cast<double>(n), benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["s_per_100M"] = benchmark::Counter(
        static_cast<double>(n) / 1e8, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    // As many dependent loads as the replay made: a TLB probe an access and
    // the descriptor reads, over the footprint of the TLB and the tables.
    state.PauseTiming();
    const uint64_t reads = mmu.stats().descriptor_reads;
    const double loads_per_access = 2.0 + static_cast<double>(reads) / static_cast<double>(n);
    const uint64_t ops = n / 4;  // a quarter of the accesses, scaled up
    const auto per_op = static_cast<unsigned>(loads_per_access * 4 + 0.5);
    const double host = host_loads_ns(1024 * 40 + (w.next - kRam), per_op, ops) / 4;
    side_by_side(state, 10, host * 1e8 / 1e9, loads_per_access);
    state.ResumeTiming();
  }
  state.counters["rss_MiB"] = static_cast<double>(ptsim::bench::resident_bytes()) / (1 << 20);
}

void BM_Replay(benchmark::State& state) {
  replay(state, TlbConfig{});
}
BENCHMARK(BM_Replay)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_ReplayMicroAndWalkCache(benchmark::State& state) {
  TlbConfig c;
  c.micro_entries = 16;
  c.walk_cache_entries = 64;
  replay(state, c);
}
BENCHMARK(BM_ReplayMicroAndWalkCache)->Unit(benchmark::kMillisecond)->Iterations(1);

// Text parsing of trace lines, the part `ptsim trace-replay` adds.
void BM_ParseTraceLine(benchmark::State& state) {
  const std::string line = "0xffff000000123456 el1w";
  uint64_t n = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(parse_trace_line(line, ++n));
  }
}
BENCHMARK(BM_ParseTraceLine);

}  // namespace

int main(int argc, char** argv) {
  return ptsim::bench::run_replay_benchmarks(argc, argv, g_accesses);
}
