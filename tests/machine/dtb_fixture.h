// Helpers for the device-tree tests: compiling the .dts sources under
// tests/golden/machine with dtc, and asserting a clean bad_input refusal.
#pragma once

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "ptsim/error.h"

namespace ptsim::machine::testing {

// dtc's output for tests/golden/machine/<name>.dts.
inline std::vector<uint8_t> compile_dts(const std::string& name) {
  const std::string src = fmt::format("{}/machine/{}.dts", PTSIM_GOLDEN_DIR, name);
  const std::string out = fmt::format("{}/ptsim_{}.dtb", ::testing::TempDir(), name);
  const std::string cmd = fmt::format("dtc -q -I dts -O dtb -o '{}' '{}'", out, src);
  if (std::system(cmd.c_str()) != 0) {
    ADD_FAILURE() << "dtc failed (is device-tree-compiler installed?): " << cmd;
    return {};
  }
  std::ifstream in(out, std::ios::binary);
  return std::vector<uint8_t>(std::istreambuf_iterator<char>(in), {});
}

// Runs `f`, which must throw ptsim::Error of kind bad_input; returns its message.
inline std::string bad_input_message(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "no error was thrown";
  return {};
}

inline void put_be32(std::vector<uint8_t>& blob, size_t at, uint32_t v) {
  blob[at] = static_cast<uint8_t>(v >> 24);
  blob[at + 1] = static_cast<uint8_t>(v >> 16);
  blob[at + 2] = static_cast<uint8_t>(v >> 8);
  blob[at + 3] = static_cast<uint8_t>(v);
}

}  // namespace ptsim::machine::testing
