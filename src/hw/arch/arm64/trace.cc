#include "ptsim/hw/arch/arm64/trace.h"

#include <fmt/format.h>

#include <charconv>
#include <istream>
#include <string>

#include "ptsim/error.h"

namespace ptsim::hw::arm64 {

std::string_view next_trace_word(std::string_view& rest) {
  size_t i = 0;
  while (i < rest.size() && (rest[i] == ' ' || rest[i] == '\t' || rest[i] == '\r')) {
    ++i;
  }
  size_t j = i;
  while (j < rest.size() && rest[j] != ' ' && rest[j] != '\t' && rest[j] != '\r') {
    ++j;
  }
  const std::string_view word = rest.substr(i, j - i);
  rest.remove_prefix(j);
  return word;
}

namespace {

std::optional<uint64_t> number(std::string_view w) {
  int base = 10;
  if (w.size() > 2 && w[0] == '0' && (w[1] == 'x' || w[1] == 'X')) {
    base = 16;
    w.remove_prefix(2);
  }
  uint64_t v = 0;
  const auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), v, base);
  if (w.empty() || ec != std::errc() || end != w.data() + w.size()) {
    return std::nullopt;
  }
  return v;
}

Error line_error(uint64_t n, std::string_view line, std::string_view rule) {
  return bad_input(fmt::format("trace line {}: '{}': {}", n, line, rule));
}

uint16_t asid_value(std::string_view w, uint64_t n, std::string_view line) {
  const auto v = number(w);
  if (!v || *v > 0xffff) {
    throw line_error(n, line, "an ASID is a number of at most 16 bits");
  }
  return static_cast<uint16_t>(*v);
}

}  // namespace

std::optional<TraceEvent> parse_trace_line(std::string_view line, uint64_t n) {
  std::string_view rest = line;
  const std::string_view first = next_trace_word(rest);
  if (first.empty() || first[0] == '#') {
    return std::nullopt;
  }
  TraceEvent e;
  if (first == "asid") {
    e.kind = TraceEvent::Kind::asid;
    e.asid = asid_value(next_trace_word(rest), n, line);
  } else if (first == "tlbi") {
    e.kind = TraceEvent::Kind::tlbi;
    const auto op = parse_tlbi_op(next_trace_word(rest));
    if (!op) {
      throw line_error(n, line,
                       "unknown TLBI operation (vmalle1, vae1, vale1, vaae1, vaale1, aside1)");
    }
    e.tlbi = *op;
    const std::string_view arg = next_trace_word(rest);
    if (*op == TlbiOp::aside1) {
      e.asid = asid_value(arg, n, line);
    } else if (*op != TlbiOp::vmalle1) {
      const auto va = number(arg);
      if (!va) {
        throw line_error(n, line, "this TLBI operation needs a VA");
      }
      e.va = *va;
      if (const std::string_view a = next_trace_word(rest); !a.empty()) {
        e.asid = asid_value(a, n, line);
      }
    }
  } else {
    const auto va = number(first);
    const auto access = parse_access(next_trace_word(rest));
    if (!va || !access) {
      throw line_error(n, line,
                       "expected 'VA ACCESS' with ACCESS one of el1r el1w el1x el0r el0w el0x");
    }
    e.va = *va;
    e.access = *access;
  }
  if (const std::string_view extra = next_trace_word(rest); !extra.empty() && extra[0] != '#') {
    throw line_error(n, line, fmt::format("unexpected '{}' at the end", extra));
  }
  return e;
}

void apply_trace_event(Mmu& mmu, const TraceEvent& e) {
  feed_trace_event(mmu, e, [](const TraceEvent&) {});  // the three kinds are all there is
}

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// The common line, "0x<hex> el<0|1><r|w|x>", read without building an
// event; anything else (or anything unusual about it) returns false and
// goes through parse_trace_line.
bool fast_access(std::string_view line, uint64_t& va, Access& access) {
  if (line.size() < 8 || line.size() > 23 || line[0] != '0' || line[1] != 'x') {
    return false;
  }
  const size_t space = line.size() - 5;
  if (line[space] != ' ' || line[space + 1] != 'e' || line[space + 2] != 'l') {
    return false;
  }
  uint64_t v = 0;
  for (size_t i = 2; i < space; ++i) {
    const int d = hex_digit(line[i]);
    if (d < 0) {
      return false;
    }
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  const char el = line[space + 3];
  const char kind = line[space + 4];
  if ((el != '0' && el != '1') || (kind != 'r' && kind != 'w' && kind != 'x') || space == 2) {
    return false;
  }
  va = v;
  access.el0 = el == '0';
  access.type = kind == 'r'   ? AccessType::read
                : kind == 'w' ? AccessType::write
                              : AccessType::execute;
  return true;
}

}  // namespace

uint64_t replay_trace(Mmu& mmu, std::istream& in, const TraceProgress& progress) {
  // Read in large blocks and split lines in place: a trace may hold
  // hundreds of millions of lines.
  std::string buf(1 << 20, '\0');
  std::string carry;
  uint64_t n = 0;
  uint64_t events = 0;
  const auto handle = [&](std::string_view line) {
    ++n;
    if (!line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    uint64_t va;
    Access access;
    if (fast_access(line, va, access)) {
      mmu.access(va, access);
      ++events;
      return;
    }
    if (const auto e = parse_trace_line(line, n)) {
      apply_trace_event(mmu, *e);
      ++events;
    }
  };
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    const auto got = static_cast<size_t>(in.gcount());
    std::string_view chunk(buf.data(), got);
    size_t start = 0;
    for (size_t nl = chunk.find('\n'); nl != std::string_view::npos; nl = chunk.find('\n', start)) {
      if (!carry.empty()) {
        carry.append(chunk.substr(start, nl - start));
        handle(carry);
        carry.clear();
      } else {
        handle(chunk.substr(start, nl - start));
      }
      start = nl + 1;
    }
    carry.append(chunk.substr(start));
    if (progress) {
      progress(n);
    }
  }
  if (!carry.empty()) {
    handle(carry);
  }
  return events;
}

}  // namespace ptsim::hw::arm64
