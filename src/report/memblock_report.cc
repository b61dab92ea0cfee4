#include "ptsim/report/memblock_report.h"

#include <fmt/format.h>

namespace ptsim::report {

nlohmann::json memblock_regions_json(const kernel::memblock_type& type, bool with_nid) {
  nlohmann::json out = nlohmann::json::array();
  for (unsigned long i = 0; i < type.cnt; ++i) {
    const kernel::memblock_region& r = type.regions[i];
    if (r.size == 0) {
      continue;
    }
    nlohmann::json region = {{"base", fmt::format("{:#x}", r.base)},
                             {"size", fmt::format("{:#x}", r.size)},
                             {"flags", r.flags}};
    if (with_nid) {
      region["nid"] = r.nid;
    }
    out.push_back(region);
  }
  return out;
}

}  // namespace ptsim::report
