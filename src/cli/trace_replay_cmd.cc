// ptsim trace-replay: run an access trace through the TLB and walker model and
// report hits, misses, walks, descriptor reads and faults.
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/mmu_options.h"
#include "ptsim/error.h"
#include "ptsim/error_context.h"
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

const bool registered = register_command([](CLI::App& app) {
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("trace-replay",
                                     "Replay an access trace through the AArch64 TLB and walker");
  cmd->footer(
      "Trace lines: 'VA ACCESS' (ACCESS el1r el1w el1x el0r el0w el0x), 'asid N',\n"
      "'tlbi OP [VA [ASID]]' (OP vmalle1 vae1 vale1 vaae1 vaale1, or 'tlbi aside1 N'), '#' "
      "comments.\n"
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
    const hw::arm64::Regime regime = hw::arm64::Regime::from_registers(opts->mmu.registers());
    hw::PhysMem mem;
    opts->mmu.load(mem);
    hw::arm64::Mmu mmu(mem, regime, opts->tlb);
    std::ifstream file;
    std::istream* in = &std::cin;
    if (opts->trace != "-") {
      file.open(opts->trace);
      if (!file) {
        throw cannot_open("trace", opts->trace);
      }
      in = &file;
    }
    try {
      hw::arm64::replay_trace(mmu, *in);
    } catch (const Error& e) {
      throw in_source(e, opts->trace == "-" ? "standard input" : opts->trace);
    }
    if (opts->json) {
      std::cout << report::replay_json(mmu.config(), mmu.stats()).dump() << "\n";
    } else {
      std::cout << report::replay_text(mmu.config(), mmu.stats());
    }
  });
});

}  // namespace
}  // namespace ptsim::cli
