#include "ptsim/kernel/lib/cmdline.h"

#include <cctype>

namespace ptsim::kernel {

unsigned memparse_suffix_shift(char c) {
  switch (std::tolower(static_cast<unsigned char>(c))) {
    case 'e':
      return 60;
    case 'p':
      return 50;
    case 't':
      return 40;
    case 'g':
      return 30;
    case 'm':
      return 20;
    case 'k':
      return 10;
    default:
      return 0;
  }
}

uint64_t memparse(std::string_view text, size_t* consumed) {
  // Models: lib/cmdline.c memparse (v6.1): simple_strtoull with base 0, then
  // an optional suffix, each one multiplying by 1024 more.
  size_t i = 0;
  unsigned base = 10;
  if (text.size() >= 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    i = 2;
  } else if (!text.empty() && text[0] == '0') {
    base = 8;
  }
  uint64_t value = 0;
  for (; i < text.size(); ++i) {
    const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(text[i])));
    unsigned digit = 0;
    if (c >= '0' && c <= '9') {
      digit = static_cast<unsigned>(c - '0');
    } else if (c >= 'a' && c <= 'f') {
      digit = static_cast<unsigned>(c - 'a' + 10);
    } else {
      break;
    }
    if (digit >= base) {
      break;
    }
    value = value * base + digit;
  }
  if (i < text.size()) {
    const unsigned shift = memparse_suffix_shift(text[i]);
    if (shift != 0) {
      value <<= shift;
      ++i;
    }
  }
  if (consumed != nullptr) {
    *consumed = i;
  }
  return value;
}

}  // namespace ptsim::kernel
