// `ptsim trace-replay` output: what the TLB and the walker did over a trace.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ptsim/hw/arch/arm/mmu.h"
#include "ptsim/hw/arch/arm64/mmu.h"

namespace ptsim::report {

std::string replay_text(const hw::arm64::TlbConfig& config, const hw::arm64::MmuStats& stats);
nlohmann::ordered_json replay_json(const hw::arm64::TlbConfig& config,
                                   const hw::arm64::MmuStats& stats);

// The same for the ARMv7 MMU: no hardware updates; DACR writes and domain
// faults counted with the rest.
std::string replay_text(const hw::arm64::TlbConfig& config, const hw::arm::MmuStats& stats);
nlohmann::ordered_json replay_json(const hw::arm64::TlbConfig& config,
                                   const hw::arm::MmuStats& stats);

}  // namespace ptsim::report
