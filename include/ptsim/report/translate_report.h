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

#include "ptsim/hw/arch/arm/par.h"
#include "ptsim/hw/arch/arm/translate.h"
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

// The same for ARMv7 (short-descriptor or LPAE, as TTBCR.EAE says): the same
// JSON line shape, with the format's own attributes, "fault":"domain"
// possible, levels 1-2 (short) or 1-3 (LPAE), and "par" the 32-bit or
// 64-bit PAR that ATS1CPR/ATS1CPW/ATS1CUR/ATS1CUW leaves.
struct ArmTranslateQuery {
  uint32_t va = 0;
  hw::arm::Access access;
  hw::arm::Translation result;
  hw::arm::short_descriptor::DomainAccess domain_access{};  // DACR for the leaf's domain
  std::optional<uint64_t> par;
};

ArmTranslateQuery run_translate_query(const hw::PhysMem& mem, const hw::arm::Regime& regime,
                                      uint32_t va, hw::arm::Access access);
nlohmann::ordered_json translate_json(const ArmTranslateQuery& q);
std::string translate_text(const hw::arm::Regime& regime, const ArmTranslateQuery& q);

// "Strongly-ordered", "Device", "Normal WB-WA", "Normal o:WT i:NC" (plus
// " OSH"/" ISH" when shareable Normal).
std::string arm_memory_attributes_name(const hw::arm::MemoryAttributes& m);

// "section", "supersection", "small page", "large page"; LPAE "block",
// "page".
std::string arm_leaf_kind(const hw::arm::Translation& t);
// The kind of descriptor a walk step read: "section", "page table",
// "small page", "fault"; LPAE "table", "block", "page", "invalid".
std::string arm_describe_step(bool lpae, const hw::arm::WalkStep& s);
// "PA 0x60012345  1 MiB section at level 1, domain 0 client, Normal WB-WA
// EL1 rwx EL0 ---", or "domain fault at level 1".
std::string arm_translation_result(const ArmTranslateQuery& q);

}  // namespace ptsim::report
