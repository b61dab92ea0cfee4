// lib/cmdline.c (v6.1): how the kernel reads sizes on its command line.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ptsim::kernel {

// The shift a memparse() suffix applies: K 10, M 20, G 30, T 40, P 50, E 60
// (either case); 0 for any other character.
unsigned memparse_suffix_shift(char c);

// Models: lib/cmdline.c memparse (v6.1): a number in C notation (0x hex, a
// leading 0 octal, else decimal) with an optional suffix.  Like Linux it
// never fails: it stops at the first character it cannot use, and
// `*consumed` (if given) says how far it read.
uint64_t memparse(std::string_view text, size_t* consumed);

}  // namespace ptsim::kernel
