// Parsing numbers and sizes from command lines and text inputs, with errors
// that name the text and the rule.
#pragma once

#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

#include <fmt/format.h>

#include "ptsim/error.h"

namespace ptsim {

// "0x1f", "31": an unsigned 64-bit number, hex with 0x or decimal.
inline uint64_t parse_u64(std::string_view text, std::string_view what) {
  int base = 10;
  std::string_view digits = text;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
    base = 16;
    digits.remove_prefix(2);
  }
  uint64_t value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size()) {
    throw bad_input(fmt::format("{} '{}' is not a number (expected hex 0x... or decimal, up to 64 bits)",
                                what, text));
  }
  return value;
}

// "1G", "512M", "64K", "0x40000000": a byte count with an optional K/M/G/T
// suffix (powers of 1024), as Linux's memparse() reads mem= and vmalloc=.
inline uint64_t parse_size(std::string_view text, std::string_view what) {
  if (text.empty()) {
    throw bad_input(fmt::format("{} is empty", what));
  }
  unsigned shift = 0;
  switch (text.back()) {
    case 'K': case 'k': shift = 10; break;
    case 'M': case 'm': shift = 20; break;
    case 'G': case 'g': shift = 30; break;
    case 'T': case 't': shift = 40; break;
    default: break;
  }
  if (shift != 0) {
    text.remove_suffix(1);
  }
  const uint64_t value = parse_u64(text, what);
  if (shift != 0 && (value >> (64 - shift)) != 0) {
    throw bad_input(fmt::format("{} '{}' overflows 64 bits", what, text));
  }
  return value << shift;
}

}  // namespace ptsim
