// Runs the scripts of tests/golden/memblock/ and compares the whole output
// with what Linux 6.1's own mm/memblock.c printed for them (see the README
// there).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ptsim/kernel/mm/memblock_script.h"

namespace ptsim::kernel {
namespace {

std::filesystem::path golden_dir() {
  return std::filesystem::path(PTSIM_GOLDEN_DIR) / "memblock";
}

std::vector<std::string> golden_names() {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(golden_dir())) {
    if (entry.path().extension() == ".script") {
      names.push_back(entry.path().stem().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The first line where two texts differ, for a readable failure.
std::string first_difference(const std::string& want, const std::string& got) {
  std::istringstream w(want);
  std::istringstream g(got);
  std::string wl;
  std::string gl;
  for (int line = 1;; line++) {
    const bool more_w = static_cast<bool>(std::getline(w, wl));
    const bool more_g = static_cast<bool>(std::getline(g, gl));
    if (!more_w && !more_g) {
      return "no difference";
    }
    if (!more_w || !more_g || wl != gl) {
      return "line " + std::to_string(line) + ": Linux '" + (more_w ? wl : "<end>") + "', ptsim '" +
             (more_g ? gl : "<end>") + "'";
    }
  }
}

class MemblockGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(MemblockGolden, OutputEqualsLinuxMemblock) {
  const std::string name = GetParam();
  std::ifstream script(golden_dir() / (name + ".script"));
  ASSERT_TRUE(script) << name;
  const std::string want = read_file(golden_dir() / (name + ".out"));
  ASSERT_FALSE(want.empty()) << name;
  // arm32_* files come from a build with a 32-bit phys_addr_t and without
  // CONFIG_NUMA, as arm without LPAE has it.
  MemblockScriptOptions options;
  if (name.rfind("arm32_", 0) == 0) {
    options.phys_addr_bits = 32;
    options.numa = false;
  }
  std::ostringstream out;
  const MemblockScriptResult result = run_memblock_script(script, out, options);
  EXPECT_TRUE(out.str() == want) << name << ": " << first_difference(want, out.str());
  EXPECT_EQ(!result.stopped_by.empty(), want.find("BUG: ") != std::string::npos) << name;
}

INSTANTIATE_TEST_SUITE_P(Linux, MemblockGolden, ::testing::ValuesIn(golden_names()));

}  // namespace
}  // namespace ptsim::kernel
