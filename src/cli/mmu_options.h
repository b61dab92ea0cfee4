// Options the MMU commands share: memory images and register values.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "ptsim/hw/arch/arm/regs.h"
#include "ptsim/hw/arch/arm64/regs.h"
#include "ptsim/hw/mem_image.h"
#include "ptsim/hw/phys_mem.h"

namespace ptsim::cli {

struct MmuOptions {
  std::string arch = "aarch64";
  std::vector<std::string> mem;
  std::vector<std::string> regs;

  void add_to(CLI::App* cmd) {
    cmd->add_option("--arch", arch, "aarch64 (default; also arm64) or armv7 (also arm)")
        ->check(CLI::IsMember({"aarch64", "arm64", "armv7", "arm"}));
    cmd->add_option(
           "--mem", mem,
           "memory image: FILE@PA (raw) or FILE (ELF core from dump-guest-memory); repeatable")
        ->required()
        ->allow_extra_args(false);
    cmd->add_option(
           "--reg", regs,
           "NAME=VALUE for TTBR0_EL1, TTBR1_EL1, TCR_EL1, MAIR_EL1, SCTLR_EL1 (default M=1), PAN; "
           "with --arch armv7 TTBR0, TTBR1, TTBCR, DACR, SCTLR (default M=1), PRRR, NMRR, MAIR0, "
           "MAIR1, CONTEXTIDR; repeatable")
        ->allow_extra_args(false);
  }
  void load(hw::PhysMem& m) const {
    for (const std::string& spec : mem) {
      hw::load_memory_spec(m, spec);
    }
  }
  bool armv7() const { return arch == "armv7" || arch == "arm"; }
  hw::arm::Registers armv7_registers() const {
    hw::arm::Registers r;
    for (const std::string& s : regs) {
      r.assign(s);
    }
    return r;
  }
  hw::arm64::Registers registers() const {
    hw::arm64::Registers r;
    for (const std::string& s : regs) {
      r.assign(s);
    }
    return r;
  }
};

}  // namespace ptsim::cli
