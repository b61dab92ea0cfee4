// MMU model speed: a TLB hit, a full 4-level walk from simulated memory, and
// the replay of a long access trace; beside them, a loop of the same number
// of dependent loads, on host memory and through PhysMem, to show how close
// the walk comes to the machine's own cost.
//
//   mmu_bench [--accesses=N] [Google Benchmark flags]
//
// --accesses sets the length of the replayed trace (default 10 million;
// the target is 100 million in under 10 s).
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "ptsim/hw/arch/arm64/mmu.h"
#include "ptsim/hw/arch/arm64/table_reader.h"
#include "ptsim/hw/arch/arm64/trace.h"
#include "ptsim/hw/arch/arm64/translate.h"
#include "rss.h"

namespace {

using namespace ptsim::hw;
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
}
BENCHMARK(BM_TlbHit);

void BM_Walk4Level(benchmark::State& state) {
  World& w = world();
  const std::vector<uint64_t> vas = random_vas(4096, kMapped);
  WalkRequest req;
  req.format = {Granule::k4K, OaFormat::pa48};
  req.table_base = w.regime.range(true).table_base;
  req.ia_bits = 48;
  req.upper_half = true;
  size_t i = 0;
  for (auto _ : state) {
    const WalkResult r = walk(w.mem, req, vas[i++ & 4095]);
    benchmark::DoNotOptimize(r.output);
  }
  state.counters["reads_per_walk"] = 4;
}
BENCHMARK(BM_Walk4Level);

// The walk as the MMU front end makes it: descriptors read through the
// TableReader's cache of table frames.
void BM_Walk4LevelFrameCache(benchmark::State& state) {
  World& w = world();
  const std::vector<uint64_t> vas = random_vas(4096, kMapped);
  WalkRequest req;
  req.format = {Granule::k4K, OaFormat::pa48};
  req.table_base = w.regime.range(true).table_base;
  req.ia_bits = 48;
  req.upper_half = true;
  TableReader reader(w.mem);
  size_t i = 0;
  for (auto _ : state) {
    const WalkResult r = walk(reader, req, vas[i++ & 4095]);
    benchmark::DoNotOptimize(r.output);
  }
  state.counters["reads_per_walk"] = 4;
}
BENCHMARK(BM_Walk4LevelFrameCache);

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

// Four dependent loads on host memory in the walk's own pattern: the same
// VAs, three small hot tables, then one of 16384 last-level words (128 KiB)
// chosen by the VA, each load's address depending on the one before.
void BM_FourDependentLoadsHostWalkPattern(benchmark::State& state) {
  const std::vector<uint64_t> vas = random_vas(4096, kMapped);
  const uint64_t tables = kMapped >> 21;  // 32 last-level tables of 512 entries
  std::vector<uint64_t> l0(512, 0), l1(512, 0), l2(512), l3(tables * 512);
  for (uint64_t i = 0; i < 512; ++i) {
    l2[i] = (i % tables) * 512;
  }
  for (uint64_t i = 0; i < l3.size(); ++i) {
    l3[i] = i * 4096;
  }
  size_t i = 0;
  uint64_t x = 0;
  for (auto _ : state) {
    // The next VA waits for the last load (x >> 63 is 0), so rounds do not
    // overlap: this is the latency of the chain.
    const uint64_t off = vas[(i++ + (x >> 63)) & 4095] - kVaBase;
    x = l0[(off >> 39) & 511];
    x = l1[x + ((off >> 30) & 511)];
    x = l2[x + ((off >> 21) & 511)];
    x = l3[x + ((off >> 12) & 511)];
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

// A synthetic trace with locality: mostly accesses near a moving point in
// a 64 MiB working set, some anywhere, a write in four, an ASID switch and
// a TLBI now and then.
void replay(benchmark::State& state, const TlbConfig& config) {
  World& w = world();
  const uint64_t n = g_accesses;
  for (auto _ : state) {
    Mmu mmu(w.mem, w.regime, config);
    uint64_t x = 88172645463325252ull;
    uint64_t hot = 0;
    for (uint64_t k = 0; k < n; ++k) {
      x ^= x << 13;
      x ^= x >> 7;
      x ^= x << 17;
      if ((x & 0xff) == 0) {
        hot = x % kMapped;
      }
      const uint64_t off =
          (x & 0xf) == 0 ? (x >> 8) % kMapped : (hot + ((x >> 8) & 0x3ffff)) % kMapped;
      mmu.access(kVaBase + off, {false, (x & 0x30) == 0 ? AccessType::write : AccessType::read});
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
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--accesses=", 11) == 0) {
      g_accesses = std::strtoull(argv[i] + 11, nullptr, 0);
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
