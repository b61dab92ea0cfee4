// Shared glue for the libFuzzer targets: each target hands the input to one
// library entry point.  A ptsim::Error is a refusal, the correct answer to
// bad input; anything else that escapes (another exception, a crash, a
// sanitizer report, a timeout) is a finding.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "ptsim/error.h"

namespace ptsim::fuzz {

inline std::string_view as_text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Reads a little-endian u64 from the front of the input, zero past its end,
// and advances over it.
inline uint64_t take_u64(const uint8_t*& data, size_t& size) {
  uint64_t value = 0;
  const size_t n = size < 8 ? size : 8;
  std::memcpy(&value, data, n);
  data += n;
  size -= n;
  return value;
}

template <typename F>
int refusals_allowed(F&& body) {
  try {
    body();
  } catch (const ptsim::Error&) {
  }
  return 0;
}

}  // namespace ptsim::fuzz
