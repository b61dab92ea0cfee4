// ptsim trace-replay: run an access trace through the TLB and walker model and
// report hits, misses, walks, descriptor reads and faults.
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/mmu_options.h"
#include "cli/progress.h"
#include "ptsim/error.h"
#include "ptsim/error_context.h"
#include "ptsim/hw/arch/arm/trace.h"
#include "ptsim/hw/arch/arm64/trace.h"
#include "ptsim/report/replay_report.h"

namespace ptsim::cli {
namespace {

struct Options {
  MmuOptions mmu;
  hw::arm64::TlbConfig tlb;
  std::string trace;
  bool json = false;
};

// Runs `replay` over the trace file (or standard input).
template <class Replay>
void with_trace(const std::string& path, Replay replay) {
  std::ifstream file;
  if (path != "-") {
    file.open(path);
    if (!file) {
      throw cannot_open("trace", path);
    }
  }
  try {
    replay(path == "-" ? std::cin : file);
  } catch (const Error& e) {
    throw in_source(e, path == "-" ? "standard input" : path);
  }
}

// A long trace takes seconds: say how many lines have been replayed.
hw::arm64::TraceProgress replay_progress() {
  return progress_on_terminal("trace-replay", "lines");
}

void replay_armv7(const Options& opts) {
  const hw::arm::Regime regime = hw::arm::Regime::from_registers(opts.mmu.armv7_registers());
  hw::PhysMem mem;
  opts.mmu.load(mem);
  hw::arm::Mmu mmu(mem, regime, opts.tlb);
  with_trace(opts.trace,
             [&](std::istream& in) { hw::arm::replay_trace(mmu, in, replay_progress()); });
  if (opts.json) {
    std::cout << report::replay_json(opts.tlb, mmu.stats()).dump() << "\n";
  } else {
    std::cout << report::replay_text(opts.tlb, mmu.stats());
  }
}

const bool registered = register_command([](CLI::App& app) {
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "trace-replay", "Replay an access trace through the AArch64 or ARMv7 TLB and walker");
  cmd->footer(
      "Trace lines: 'VA ACCESS' (ACCESS el1r el1w el1x el0r el0w el0x), 'asid N',\n"
      "'tlbi OP [VA [ASID]]' (OP vmalle1 vae1 vale1 vaae1 vaale1, or 'tlbi aside1 N'), '#' "
      "comments.\n"
      "With --arch armv7: OP tlbiall tlbimva tlbimvaa (VA [ASID]) or 'tlbi tlbiasid N', and\n"
      "'dacr VALUE' writes DACR.\n"
      "A replay that takes over a second shows its progress on standard error when that is a\n"
      "terminal (never when it is piped).\n"
      "Example:\n"
      "  ptsim trace-replay --mem ram.bin@0x40000000 --reg TTBR1_EL1=0x41fa0000 \\\n"
      "      --reg TCR_EL1=0x35b5503510 --trace accesses.txt --micro-tlb 16 --walk-cache 64");
  opts->mmu.add_to(cmd);
  cmd->add_option("--trace", opts->trace, "trace file ('-' for standard input)")->required();
  cmd->add_option("--tlb-entries", opts->tlb.entries, "main TLB entries (default 1024)");
  cmd->add_option("--tlb-ways", opts->tlb.ways, "main TLB associativity (default 4)");
  cmd->add_option("--micro-tlb", opts->tlb.micro_entries,
                  "micro-TLB entries, fully associative (default 0: none)");
  cmd->add_option("--walk-cache", opts->tlb.walk_cache_entries,
                  "walk cache entries (default 0: none)");
  cmd->add_option("--walk-cache-ways", opts->tlb.walk_cache_ways,
                  "walk cache associativity (default 4)");
  cmd->add_flag("--json", opts->json, "one JSON object instead of text");
  cmd->callback([opts] {
    if (opts->mmu.armv7()) {
      replay_armv7(*opts);
      return;
    }
    const hw::arm64::Regime regime = hw::arm64::Regime::from_registers(opts->mmu.registers());
    hw::PhysMem mem;
    opts->mmu.load(mem);
    hw::arm64::Mmu mmu(mem, regime, opts->tlb);
    with_trace(opts->trace,
               [&](std::istream& in) { hw::arm64::replay_trace(mmu, in, replay_progress()); });
    if (opts->json) {
      std::cout << report::replay_json(mmu.config(), mmu.stats()).dump() << "\n";
    } else {
      std::cout << report::replay_text(mmu.config(), mmu.stats());
    }
  });
});

}  // namespace
}  // namespace ptsim::cli
