// Access traces for the ARMv7 MMU model, in the AArch64 model's format
// (hw/arch/arm64/trace.h) with the ARMv7 TLB maintenance operations:
//
//   # comment
//   0xc0001234 el1r              an access: VA and el1r|el1w|el1x|el0r|el0w|el0x
//   asid 5                       the OS switches to ASID 5 (at most 8 bits)
//   tlbi tlbiall                 TLB maintenance, no operand
//   tlbi tlbimva 0x400000 [5]    by MVA (and ASID; the current one if absent)
//   tlbi tlbimvaa 0x400000       by MVA, every ASID
//   tlbi tlbiasid 5              by ASID
//   dacr 0x55555555              a DACR write (domain switching)
//
// The IS forms (tlbiallis, ...) are accepted as aliases.
#pragma once

#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string_view>

#include "ptsim/hw/arch/arm/mmu.h"
#include "ptsim/hw/arch/arm64/trace.h"

namespace ptsim::hw::arm {

struct TraceEvent {
  enum class Kind { access, asid, tlbi, dacr };
  Kind kind = Kind::access;
  uint32_t va = 0;
  uint32_t dacr = 0;
  Access access;
  TlbiOp tlbi = TlbiOp::tlbiall;
  std::optional<uint8_t> asid;
};

// Parses one line; nullopt for a blank or comment line.  A malformed line
// (a VA beyond 32 bits, an ASID beyond 8) is a bad_input error naming the
// line number and the text.
std::optional<TraceEvent> parse_trace_line(std::string_view line, uint64_t line_number);

void apply_trace_event(Mmu& mmu, const TraceEvent& event);

// Replays a whole trace; returns the number of events.
uint64_t replay_trace(Mmu& mmu, std::istream& in, const arm64::TraceProgress& progress = {});

}  // namespace ptsim::hw::arm
