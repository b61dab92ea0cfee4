#include "report/explain_va_fields.h"

#include <fmt/format.h>

#include <iterator>

namespace ptsim::report {
namespace {

std::string binary(uint64_t value, unsigned width) {
  std::string s;
  for (unsigned i = width; i-- > 0;) {
    s += ((value >> i) & 1) != 0 ? '1' : '0';
  }
  return s;
}

constexpr const char* kColours[] = {"\033[2m",  "\033[31m", "\033[32m", "\033[33m",
                                    "\033[34m", "\033[35m", "\033[36m"};
constexpr const char* kReset = "\033[0m";

}  // namespace

uint64_t va_field_value(uint64_t va, const VaField& f) {
  const unsigned width = f.hi - f.lo + 1;
  return width == 64 ? va : (va >> f.lo) & ((uint64_t{1} << width) - 1);
}

std::string paint_field(const std::string& s, size_t field, ExplainStyle style) {
  if (style != ExplainStyle::colour) {
    return s;
  }
  return std::string(kColours[field % std::size(kColours)]) + s + kReset;
}

std::string va_fields_text(uint64_t va, const std::vector<VaField>& fields, ExplainStyle style) {
  const bool md = style == ExplainStyle::markdown;
  std::string out;
  std::string picture;
  std::string legend;
  for (size_t i = 0; i < fields.size(); ++i) {
    const VaField& f = fields[i];
    const std::string bits = binary(va_field_value(va, f), f.hi - f.lo + 1);
    picture += (i == 0 ? "" : " | ") + paint_field(bits, i, style);
    legend +=
        fmt::format("{}{}[{}:{}]", i == 0 ? "" : " | ", paint_field(f.name, i, style), f.hi, f.lo);
  }
  if (md) {
    out += "```\n" + picture + "\n" + legend + "\n```\n\n";
    out += "| bits | field | binary | value | used as |\n|---|---|---|---|---|\n";
  } else {
    out += "  " + picture + "\n  " + legend + "\n\n";
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    const VaField& f = fields[i];
    const uint64_t v = va_field_value(va, f);
    const std::string range = fmt::format("[{}:{}]", f.hi, f.lo);
    if (md) {
      out += fmt::format("| {} | {} | `{}` | {:#x} ({}) | {} |\n", range, f.name,
                         binary(v, f.hi - f.lo + 1), v, v, f.role);
    } else {
      out += fmt::format("  {:<8} {:<7} {:>8} = {:<6} {}\n", range, paint_field(f.name, i, style),
                         fmt::format("{:#x}", v), v, f.role);
    }
  }
  out += "\n";
  return out;
}

}  // namespace ptsim::report
