#include "ptsim/hw/arch/arm/trace.h"

#include <fmt/format.h>

#include <istream>
#include <sstream>
#include <string>

#include "ptsim/error.h"
#include "ptsim/hw/arch/arm64/trace.h"
#include "ptsim/parse.h"

namespace ptsim::hw::arm {
namespace {

Error line_error(uint64_t n, std::string_view line, std::string_view rule) {
  return bad_input(fmt::format("trace line {}: '{}': {}", n, line, rule));
}

// A number of at most `bits` bits, or a line error.
uint64_t operand(const std::string& word, unsigned bits, const char* what, uint64_t n,
                 std::string_view line) {
  uint64_t v = 0;
  try {
    v = parse_u64(word, what);
  } catch (const Error&) {
    throw line_error(n, line, fmt::format("{} '{}' is not a number", what, word));
  }
  if ((v >> bits) != 0) {
    throw line_error(n, line, fmt::format("{} {:#x} does not fit {} bits", what, v, bits));
  }
  return v;
}

constexpr unsigned kVaBits = 32;
constexpr unsigned kAsidBits = 8;

// "tlbi OP [OPERAND [ASID]]".
TraceEvent parse_tlbi(std::istringstream& words, uint64_t n, std::string_view line) {
  std::string name;
  words >> name;
  const auto op = parse_tlbi_op(name);
  if (!op) {
    throw line_error(n, line, "unknown TLBI operation (tlbiall, tlbimva, tlbimvaa, tlbiasid)");
  }
  TraceEvent e;
  e.kind = TraceEvent::Kind::tlbi;
  e.tlbi = *op;
  std::string arg;
  if (*op == TlbiOp::tlbiasid) {
    if (!(words >> arg)) {
      throw line_error(n, line, "TLBIASID needs an ASID");
    }
    e.asid = static_cast<uint8_t>(operand(arg, kAsidBits, "ASID", n, line));
  } else if (*op != TlbiOp::tlbiall) {
    if (!(words >> arg)) {
      throw line_error(n, line, "this TLBI operation needs an MVA");
    }
    e.va = static_cast<uint32_t>(operand(arg, kVaBits, "MVA", n, line));
    if (*op == TlbiOp::tlbimva && words >> arg && arg[0] != '#') {
      e.asid = static_cast<uint8_t>(operand(arg, kAsidBits, "ASID", n, line));
    }
  }
  if (words >> arg && arg[0] != '#') {
    throw line_error(n, line, fmt::format("unexpected '{}' at the end", arg));
  }
  return e;
}

// "dacr VALUE".  The value's fields are checked when it is written (a
// reserved one is refused with the short format only).
TraceEvent parse_dacr(std::istringstream& words, uint64_t n, std::string_view line) {
  std::string arg;
  if (!(words >> arg)) {
    throw line_error(n, line, "a DACR write needs a value");
  }
  TraceEvent e;
  e.kind = TraceEvent::Kind::dacr;
  e.dacr = static_cast<uint32_t>(operand(arg, 32, "DACR", n, line));
  if (words >> arg && arg[0] != '#') {
    throw line_error(n, line, fmt::format("unexpected '{}' at the end", arg));
  }
  return e;
}

}  // namespace

std::optional<TraceEvent> parse_trace_line(std::string_view line, uint64_t n) {
  std::string_view rest = line;
  const std::string_view first = arm64::next_trace_word(rest);
  if (first.empty() || first[0] == '#') {
    return std::nullopt;
  }
  // The maintenance lines, rare, are read with a stream; an access, nearly
  // every line, is not (a stream costs several times the rest of a line).
  if (first == "tlbi" || first == "dacr") {
    std::istringstream words{std::string(rest)};
    return first == "tlbi" ? parse_tlbi(words, n, line) : parse_dacr(words, n, line);
  }
  // Accesses and ASID switches read as the AArch64 trace reads them.
  const std::optional<arm64::TraceEvent> a = arm64::parse_trace_line(line, n);
  TraceEvent e;
  if (a->kind == arm64::TraceEvent::Kind::asid) {
    e.kind = TraceEvent::Kind::asid;
    if (*a->asid >> kAsidBits != 0) {
      throw line_error(n, line, "an ARMv7 ASID is a number of at most 8 bits");
    }
    e.asid = static_cast<uint8_t>(*a->asid);
    return e;
  }
  if ((a->va >> kVaBits) != 0) {
    throw line_error(n, line, "an ARMv7 VA is a number of at most 32 bits");
  }
  e.va = static_cast<uint32_t>(a->va);
  e.access = a->access;
  return e;
}

void apply_trace_event(Mmu& mmu, const TraceEvent& e) {
  arm64::feed_trace_event(mmu, e, [&mmu](const TraceEvent& dacr) { mmu.set_dacr(dacr.dacr); });
}

uint64_t replay_trace(Mmu& mmu, std::istream& in, const arm64::TraceProgress& progress) {
  uint64_t events = 0;
  uint64_t n = 0;
  for (std::string line; std::getline(in, line);) {
    ++n;
    if (progress && n % (1u << 16) == 0) {
      progress(n);
    }
    if (const auto e = parse_trace_line(line, n)) {
      try {
        apply_trace_event(mmu, *e);
      } catch (const Error& err) {
        throw line_error(n, line, err.what());  // a DACR with a reserved field
      }
      ++events;
    }
  }
  return events;
}

}  // namespace ptsim::hw::arm
