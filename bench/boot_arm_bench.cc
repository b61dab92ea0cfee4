// The arm boot model end to end: a 2 GiB QEMU virt machine booted by the 6.1
// profile to the end of paging_init, then every report (summary, layout,
// memblock, ptdump, trace, JSON).  Target: well under 100 ms.
#include <benchmark/benchmark.h>

#include "ptsim/machine/dtb.h"
#include "ptsim/machine/kernel_image.h"
#include "ptsim/machine/presets.h"
#include "ptsim/report/arm_boot_report.h"
#include "ptsim/report/ptdump_arm.h"

namespace {

using namespace ptsim;

kernel::arm::ArmBootInput virt_2g(bool lpae) {
  const machine::Machine m = machine::with_ram(machine::machine_preset("virt-arm"), 2ULL << 30);
  const auto image = machine::arm_image_layout(
      machine::kernel_image_preset(lpae ? "debian-6.1-armmp-lpae" : "debian-6.1-armmp").symbols());
  kernel::arm::ArmConfig config;
  config.lpae = lpae;
  config.cma_size_mbytes = 16;
  return report::arm_boot_input(m, image, config, machine::write_dtb(m).size());
}

// Booting only: setup_arch to the end of paging_init.
void BM_BootArmVirt2G_PagingInit(benchmark::State& state) {
  const kernel::arm::ArmBootInput in = virt_2g(state.range(0) != 0);
  for (auto _ : state) {
    kernel::arm::ArmBoot b = kernel::arm::run_arm_boot(in);
    benchmark::DoNotOptimize(b.state.zero_page);
  }
}
BENCHMARK(BM_BootArmVirt2G_PagingInit)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

// Booting and producing every report, as `ptsim boot --arch arm --layout
// --memblock --ptdump --trace` and `--json` do.
void BM_BootArmVirt2G_AllReports(benchmark::State& state) {
  const kernel::arm::ArmBootInput in = virt_2g(state.range(0) != 0);
  size_t bytes = 0;
  for (auto _ : state) {
    const kernel::arm::ArmBoot b = kernel::arm::run_arm_boot(in);
    std::string out = report::arm_boot_summary(b) + report::arm_layout_text(b) +
                      report::arm_memblock_text(b) + report::arm_trace_text(b);
    for (const std::string& line : report::ptdump_arm(b).lines) {
      out += line;
    }
    out += report::arm_boot_json(b).dump();
    bytes += out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.counters["bytes_out"] = static_cast<double>(bytes) / static_cast<double>(state.iterations());
}
BENCHMARK(BM_BootArmVirt2G_AllReports)->Arg(0)->Arg(1)->Unit(benchmark::kMillisecond);

}  // namespace
