// arm64 boot benchmarks: the default boot with every report (target: well
// under 100 ms), and a 1 TiB machine with rodata=full, whose page-granular
// linear map needs 2 GiB of pte tables (targets: host memory within 1.2x of
// the table bytes, time within 3x of memset of those bytes, measured in the
// same run).
#include <sys/mman.h>

#include <cstring>

#include <benchmark/benchmark.h>

#include "ptsim/kernel/arch/arm64/boot.h"
#include "ptsim/machine/arm64_boot_inputs.h"
#include "ptsim/machine/dtb.h"
#include "ptsim/machine/presets.h"
#include "ptsim/report/arm64_boot_report.h"
#include "rss.h"

namespace {

using namespace ptsim;

void BM_DefaultBootAllReports(benchmark::State& state) {
  size_t bytes = 0;
  for (auto _ : state) {
    kernel::arm64::Arm64Kernel k({}, {}, machine::prepare_arm64_boot({}));
    k.boot(kernel::arm64::BootStage::final);
    bytes = report::arm64_boot_summary(k).size() + report::arm64_layout_text(k).size() +
            report::memblock_debugfs_text(k.memblock()).size() + report::arm64_boot_ptdump(k).size() +
            report::arm64_boot_trace(k).size() + report::arm64_boot_json(k).dump().size();
  }
  state.counters["report_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_DefaultBootAllReports)->Unit(benchmark::kMillisecond);

// The built-in virt machine with `ram` bytes in its one bank.
kernel::arm64::BootInputs virt_with(uint64_t ram) {
  machine::Machine m = machine::machine_preset("virt").machine();
  m.memory.front().size = ram;
  const std::vector<uint8_t> dtb = machine::write_dtb(m);
  return machine::arm64_boot_inputs(m, dtb, 0x48000000, machine::parse_command_line("nokaslr"),
                                    machine::kernel_image_preset("debian-6.1-arm64").symbols(), 0x40200000);
}

void BM_Boot1TiBRodataFull(benchmark::State& state) {
  const uint64_t ram = 1ull << 40;
  uint64_t tables = 0;
  uint64_t rss_growth = 0;
  for (auto _ : state) {
    const uint64_t before = bench::resident_bytes();
    kernel::arm64::Arm64Kernel k({}, {}, virt_with(ram));
    k.set_tracing(false);
    k.boot(kernel::arm64::BootStage::paging_init);
    rss_growth = bench::resident_bytes() - before;
    tables = k.mem().backed_bytes();
  }
  state.counters["table_bytes_written"] = static_cast<double>(tables);
  state.counters["rss_growth"] = static_cast<double>(rss_growth);
  state.counters["rss_over_tables"] = static_cast<double>(rss_growth) / static_cast<double>(tables);
}
BENCHMARK(BM_Boot1TiBRodataFull)->Iterations(1)->Unit(benchmark::kMillisecond);

// The yardstick: memset of 2 GiB + 4 MiB (the pte tables of 1 TiB and the
// pmd/pud pages above them) into fresh memory.
void BM_Memset1TiBTableBytes(benchmark::State& state) {
  const uint64_t bytes = (1ull << 40) / 512 + (4ull << 20);
  for (auto _ : state) {
    void* p = ::mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    std::memset(p, 0x5a, bytes);
    benchmark::ClobberMemory();
    ::munmap(p, bytes);
  }
  state.counters["table_bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_Memset1TiBTableBytes)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
