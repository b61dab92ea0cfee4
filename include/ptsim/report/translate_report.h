// `ptsim translate` output: one translation of one VA, as a JSON line for
// tools or a short block for people.
//
//   {"va":"0x…","access":"el1r","ok":true,"pa":"0x…","level":3,"size":4096,
//    "attrs":{…},"par":"0x…","walk":[{"level":0,"addr":"0x…","desc":"0x…"},…]}
//   {"va":"0x…","access":"el1w","ok":false,"fault":"permission","level":3,"par":"0x…","walk":[…]}
//
// "par" is what an AT instruction makes of the same query: S1E1R/S1E1W/
// S1E0R/S1E0W, or S1E1RP/S1E1WP for an EL1 access while PSTATE.PAN=1.
// Execute accesses have no AT form and no "par".
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "ptsim/hw/arch/arm64/par.h"
#include "ptsim/hw/arch/arm64/translate.h"

namespace ptsim::report {

struct TranslateQuery {
  uint64_t va = 0;
  hw::arm64::Access access;
  hw::arm64::Translation result;
  std::optional<uint64_t> par;
};

// The AT operation that asks the same question as `access`, if any.
std::optional<hw::arm64::AtOp> at_op_for(hw::arm64::Access access, bool pan);

// Translates `va` for `access` (hardware updates written to `mem`), with
// the PAR of the matching AT operation taken before the access.
TranslateQuery run_translate_query(hw::PhysMem& mem, const hw::arm64::Regime& regime, uint64_t va,
                                   hw::arm64::Access access);

nlohmann::ordered_json translate_json(const TranslateQuery& q);
std::string translate_text(const hw::arm64::Regime& regime, const TranslateQuery& q);

}  // namespace ptsim::report
