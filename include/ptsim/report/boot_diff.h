// `ptsim diff`: two arm64 boots, or two arm boots, side by side.  What differs: the layout
// constants, swapper_pg_dir's table pages per level and their memory, its
// block, page and contiguous counts, and the virtual ranges it maps
// differently (another physical address, level or set of attributes, or
// mapped on one side only).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "ptsim/kernel/arch/arm/boot.h"
#include "ptsim/kernel/arch/arm64/boot.h"

namespace ptsim::report {

// What a root's tables cost and hold.
struct Arm64TableStats {
  std::vector<std::pair<std::string, uint64_t>>
      table_pages;  // Linux level name -> tables, pgd first
  uint64_t table_bytes = 0;
  uint64_t blocks = 0;      // leaves above the last level
  uint64_t pages = 0;       // leaves at the last level
  uint64_t contiguous = 0;  // leaves with the Contiguous bit (Arm ARM D8.6.1)
};

Arm64TableStats arm64_table_stats(const kernel::arm64::Arm64Kernel& k,
                                  const kernel::arm64::TableRoot& root);

// The difference of two booted kernels, schema "ptsim.diff.arm64/1".
// `label_a` and `label_b` name the sides (their options).
nlohmann::ordered_json arm64_boot_diff_json(const kernel::arm64::Arm64Kernel& a,
                                            const std::string& label_a,
                                            const kernel::arm64::Arm64Kernel& b,
                                            const std::string& label_b);

// What an arm swapper_pg_dir costs and holds, from its descriptors: the
// pgd (classic: the 16K first-level table; LPAE: the pgd page), the LPAE pmd
// tables and the pte pages; first-level sections (1M) or LPAE blocks (2M),
// supersection entries (16M, classic only) and small pages.
struct ArmTableStats {
  std::vector<std::pair<std::string, uint64_t>> table_pages;  // pgd, pmd (LPAE), pte
  uint64_t table_bytes = 0;
  uint64_t blocks = 0;         // section / LPAE block entries
  uint64_t supersections = 0;  // supersection entries (each is 16 identical words)
  uint64_t pages = 0;          // small page entries (hardware ones)
  uint64_t block_size = 0;     // 1M classic, 2M LPAE
};

ArmTableStats arm_table_stats(const kernel::arm::ArmBoot& boot);

// The difference of two arm boots, schema "ptsim.diff.arm/1": the same
// members as the arm64 one; "constants" compares the layout, the boot state
// (arm_lowmem_limit, high_memory, VMALLOC_START, ...) and the profile.
nlohmann::ordered_json arm_boot_diff_json(const kernel::arm::ArmBoot& a, const std::string& label_a,
                                          const kernel::arm::ArmBoot& b,
                                          const std::string& label_b);

// Either difference for people to read.
std::string boot_diff_text(const nlohmann::ordered_json& diff);
// The arm64 one (the same as boot_diff_text).
std::string arm64_boot_diff_text(const nlohmann::ordered_json& diff);

}  // namespace ptsim::report
