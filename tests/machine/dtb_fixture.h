// Helpers for the device-tree tests: compiling the .dts sources under
// tests/golden/machine with dtc, and asserting a clean bad_input refusal.
#pragma once

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iterator>
#include <string>
#include <vector>

#include "ptsim/error.h"
#include "ptsim/machine/machine.h"

namespace ptsim::machine::testing {

// dtc's output for tests/golden/machine/<name>.dts.  The blob's file is this
// process's own: ctest runs tests in parallel, and another test reading a
// blob while dtc rewrites it would see it empty.
inline std::vector<uint8_t> compile_dts(const std::string& name) {
  const std::string src = fmt::format("{}/machine/{}.dts", PTSIM_GOLDEN_DIR, name);
  const std::string out =
      fmt::format("{}/ptsim_{}_{}.dtb", ::testing::TempDir(), name, static_cast<long>(::getpid()));
  const std::string cmd = fmt::format("dtc -q -I dts -O dtb -o '{}' '{}'", out, src);
  if (std::system(cmd.c_str()) != 0) {
    ADD_FAILURE() << "dtc failed (is device-tree-compiler installed?): " << cmd;
    return {};
  }
  std::vector<uint8_t> blob;
  {
    std::ifstream in(out, std::ios::binary);
    blob.assign(std::istreambuf_iterator<char>(in), {});
  }
  std::remove(out.c_str());
  return blob;
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

namespace ptsim::machine {

// Failure messages show machines as text, not bytes.
inline void PrintTo(const Machine& m, std::ostream* os) {
  *os << fmt::format("Machine{{source '{}', model '{}', cells {}/{}, memory [", m.source, m.model,
                     m.address_cells, m.size_cells);
  for (const MemoryBank& b : m.memory) {
    *os << fmt::format("{:#x}+{:#x} {}{}; ", b.base, b.size, b.node,
                       b.hotpluggable ? " hotplug" : "");
  }
  *os << "], memreserve [";
  for (const Range& r : m.memreserve) {
    *os << fmt::format("{:#x}+{:#x}; ", r.base, r.size);
  }
  *os << "], reserved [";
  for (const ReservedRegion& r : m.reserved) {
    *os << fmt::format("{} reg {} size {:#x}; ", r.name, r.reg.size(), r.size.value_or(0));
  }
  const Chosen& c = m.chosen;
  *os << fmt::format("], chosen{{present {}, bootargs '{}', initrd {}, kaslr {:#x}, stdout '{}'}}",
                     c.present, c.bootargs.value_or(""), c.initrd.has_value(),
                     c.kaslr_seed.value_or(0), c.stdout_path.value_or(""));
  if (m.uart) {
    *os << fmt::format(", uart {} {:#x}", m.uart->node, m.uart->reg ? m.uart->reg->base : 0);
  }
  *os << fmt::format(", {} notes}}", m.notes.size());
}

}  // namespace ptsim::machine
