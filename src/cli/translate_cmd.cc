// ptsim translate: what the MMU makes of virtual addresses, given a memory
// image and the translation registers; one JSON line (or a text block) per VA.
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/mmu_options.h"
#include "ptsim/parse.h"
#include "ptsim/report/translate_report.h"

namespace ptsim::cli {
namespace {

struct Options {
  MmuOptions mmu;
  std::string access = "el1r";
  bool text = false;
  std::vector<std::string> vas;
};

void run_armv7(const Options& opts, hw::arm::Access access, const std::vector<uint64_t>& vas) {
  const hw::arm::Regime regime = hw::arm::Regime::from_registers(opts.mmu.armv7_registers());
  std::vector<uint32_t> va32;
  for (uint64_t va : vas) {
    va32.push_back(hw::arm::checked_va(va));
  }
  hw::PhysMem mem;
  opts.mmu.load(mem);
  for (uint32_t va : va32) {
    const report::ArmTranslateQuery q = report::run_translate_query(mem, regime, va, access);
    if (opts.text) {
      std::cout << report::translate_text(regime, q);
    } else {
      std::cout << report::translate_json(q).dump() << "\n";
    }
  }
}

const bool registered = register_command([](CLI::App& app) {
  auto opts = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand(
      "translate", "Translate VAs as the AArch64 (stage 1, EL1&0) or ARMv7 (PL1&0) MMU would");
  cmd->footer(
      "Prints one JSON object per VA: pa, level, size, attrs, the PAR_EL1 an AT instruction\n"
      "would give, and every descriptor read; or the fault and its level.\n"
      "Example:\n"
      "  ptsim translate --mem ram.bin@0x40000000 --reg TTBR1_EL1=0x41fa0000 \\\n"
      "      --reg TCR_EL1=0x35b5503510 --reg MAIR_EL1=0x040044ffff --access el1w "
      "0xffff000000001000\n"
      "  ptsim translate --arch armv7 --mem ram.bin@0x80000000 --reg TTBR0=0x80004000 \\\n"
      "      --reg DACR=0x55555555 --access el0r 0xc0001000\n"
      "With --arch armv7, el1 is PL1 and el0 PL0; par is the PAR of ATS1CPR/CPW/CUR/CUW.");
  opts->mmu.add_to(cmd);
  cmd->add_option("--access", opts->access, "el1r el1w el1x el0r el0w el0x (default el1r)");
  cmd->add_flag("--text", opts->text, "a readable block per VA instead of JSON");
  cmd->add_option("va", opts->vas, "virtual addresses")->required();
  cmd->callback([opts] {
    const auto access = hw::arm64::parse_access(opts->access);
    if (!access) {
      throw usage_error(
          fmt::format("--access '{}' is not one of el1r el1w el1x el0r el0w el0x", opts->access));
    }
    std::vector<uint64_t> vas;
    for (const std::string& v : opts->vas) {
      vas.push_back(parse_u64(v, "virtual address"));
    }
    if (opts->mmu.armv7()) {
      run_armv7(*opts, *access, vas);
      return;
    }
    const hw::arm64::Regime regime = hw::arm64::Regime::from_registers(opts->mmu.registers());
    hw::PhysMem mem;
    opts->mmu.load(mem);
    for (uint64_t va : vas) {
      const report::TranslateQuery q = report::run_translate_query(mem, regime, va, *access);
      if (opts->text) {
        std::cout << report::translate_text(regime, q);
      } else {
        std::cout << report::translate_json(q).dump() << "\n";
      }
    }
  });
});

}  // namespace
}  // namespace ptsim::cli
