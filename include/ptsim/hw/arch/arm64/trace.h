// Access traces for the MMU model: one event a line.
//
//   # comment
//   0xffff800008001234 el1r      an access: VA and el1r|el1w|el1x|el0r|el0w|el0x
//   asid 5                       the OS switches to ASID 5
//   tlbi vmalle1                 TLB maintenance, no operand
//   tlbi vae1 0x400000 [5]       by VA (and ASID; the current one if absent)
//   tlbi aside1 5                by ASID
//
// Numbers are hex with 0x or decimal.  Replaying feeds each event to an Mmu.
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <optional>
#include <string_view>

#include "ptsim/hw/arch/arm64/mmu.h"

namespace ptsim::hw::arm64 {

struct TraceEvent {
  enum class Kind { access, asid, tlbi };
  Kind kind = Kind::access;
  uint64_t va = 0;
  Access access;
  TlbiOp tlbi = TlbiOp::vmalle1;
  std::optional<uint16_t> asid;
};

// The next blank-separated word of `rest`, which is advanced past it; empty
// at the end.  The ARMv7 trace reads its lines with it too.
std::string_view next_trace_word(std::string_view& rest);

// Parses one line; nullopt for a blank or comment line.  A malformed line
// is a bad_input error naming the line number and the text.
std::optional<TraceEvent> parse_trace_line(std::string_view line, uint64_t line_number);

void apply_trace_event(Mmu& mmu, const TraceEvent& event);

// Feeds one event to an MMU model: any MMU with access/set_asid/tlbi and an
// event with those three kinds (the ARMv7 model's traces use it too); an
// event of another kind goes to `other` (the ARMv7 trace's DACR writes).
template <class AnyMmu, class Event, class Other>
void feed_trace_event(AnyMmu& mmu, const Event& e, Other other) {
  switch (e.kind) {
    case Event::Kind::access:
      mmu.access(e.va, e.access);
      return;
    case Event::Kind::asid:
      mmu.set_asid(*e.asid);
      return;
    case Event::Kind::tlbi:
      mmu.tlbi(e.tlbi, e.va, e.asid);
      return;
    default:
      other(e);
      return;
  }
}

// Called now and then during a replay (after each 1 MiB of trace) with the
// number of lines read so far, e.g. for a progress line.
using TraceProgress = std::function<void(uint64_t lines)>;

// Replays a whole trace; returns the number of events.
uint64_t replay_trace(Mmu& mmu, std::istream& in, const TraceProgress& progress = {});

}  // namespace ptsim::hw::arm64
