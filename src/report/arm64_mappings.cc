#include "ptsim/report/arm64_mappings.h"

#include <fmt/format.h>

#include <cstring>
#include <optional>

#include "ptsim/hw/arch/arm64/table_walk.h"
#include "ptsim/report/ptdump_arm64.h"

namespace ptsim::report {

std::array<const char*, 5> arm64_level_names(int start_level) {
  std::array<const char*, 5> names{"PGD", "P4D", "PUD", "PMD", "PTE"};
  names[static_cast<size_t>(start_level + 1)] = "PGD";
  return names;
}

nlohmann::json arm64_mapping_runs(const hw::PhysMem& mem, const hw::arm64::WalkRequest& request,
                                  const std::array<const char*, 5>& level_names) {
  nlohmann::json runs = nlohmann::json::array();
  struct Run {
    uint64_t va, end, pa, pa_next;
    const char* level;
    uint64_t prot;  // the bits the attribute words come from
  };
  std::optional<Run> run;
  const auto flush = [&] {
    if (run) {
      runs.push_back({{"va_start", fmt::format("{:#018x}", run->va)},
                      {"va_end", fmt::format("{:#018x}", run->end)},
                      {"pa_start", fmt::format("{:#x}", run->pa)},
                      {"level", run->level},
                      {"attrs", ptdump_arm64_attr_words(run->prot)}});
    }
  };
  hw::arm64::for_each_leaf(mem, request,
                           {[&](const hw::arm64::Leaf& leaf) {
                              const char* level = level_names[static_cast<size_t>(leaf.level + 1)];
                              const uint64_t prot = ptdump_arm64_prot_bits(leaf.desc);
                              if (run && run->end == leaf.va &&
                                  std::strcmp(run->level, level) == 0 && run->prot == prot &&
                                  run->pa_next == leaf.oa.value()) {
                                run->end += leaf.size;
                                run->pa_next += leaf.size;
                                return;
                              }
                              flush();
                              run = Run{leaf.va,         leaf.va + leaf.size,
                                        leaf.oa.value(), leaf.oa.value() + leaf.size,
                                        level,           prot};
                            },
                            {},
                            {}});
  flush();
  return runs;
}

}  // namespace ptsim::report
