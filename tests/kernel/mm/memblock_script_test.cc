// Runs the memblock script cases under tests/kernel/mm/memblock_scripts/:
// the scenarios of Linux's own userspace memblock suite
// (tools/testing/memblock/tests/*.c, v6.1) and further cases read off
// mm/memblock.c.  A case is
//   == NAME
//   script lines...
//   >> an expected output line (matches an output line it starts, up to a space)
//   !> a text no output line may start with
// The expected lines must appear in order.
#include "ptsim/kernel/mm/memblock_script.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "ptsim/error.h"

namespace ptsim::kernel {
namespace {

struct ScriptCase {
  std::string file;
  std::string name;
  int line = 0;
  std::string script;
  std::vector<std::string> expected;
  std::vector<std::string> forbidden;
};

std::vector<ScriptCase> load_cases() {
  std::vector<ScriptCase> cases;
  const std::filesystem::path dir =
      std::filesystem::path(PTSIM_SOURCE_DIR) / "tests/kernel/mm/memblock_scripts";
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() == ".mbt") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path);
    std::string line;
    int line_no = 0;
    while (std::getline(in, line)) {
      line_no++;
      if (line.rfind("== ", 0) == 0) {
        cases.push_back({path.stem().string(), line.substr(3), line_no, "", {}, {}});
        continue;
      }
      if (cases.empty() || cases.back().file != path.stem().string()) {
        continue;  // the file's header comment
      }
      if (line.rfind(">> ", 0) == 0) {
        cases.back().expected.push_back(line.substr(3));
      } else if (line.rfind("!> ", 0) == 0) {
        cases.back().forbidden.push_back(line.substr(3));
      } else {
        cases.back().script += line + "\n";
      }
    }
  }
  return cases;
}

// `line` starts with `expected`, followed by the end of the line or a space.
bool line_matches(const std::string& line, const std::string& expected) {
  if (line.rfind(expected, 0) != 0) {
    return false;
  }
  return line.size() == expected.size() || line[expected.size()] == ' ';
}

class MemblockScript : public ::testing::TestWithParam<ScriptCase> {};

TEST_P(MemblockScript, ProducesTheLinuxResult) {
  const ScriptCase& c = GetParam();
  std::istringstream in(c.script);
  std::ostringstream out;
  try {
    run_memblock_script(in, out, MemblockScriptOptions{});
  } catch (const Error& e) {
    FAIL() << c.file << ".mbt:" << c.line << " " << c.name << ": " << e.what();
  }
  std::vector<std::string> lines;
  std::istringstream output(out.str());
  for (std::string l; std::getline(output, l);) {
    lines.push_back(l);
  }
  size_t next = 0;
  for (const std::string& want : c.expected) {
    while (next < lines.size() && !line_matches(lines[next], want)) {
      next++;
    }
    ASSERT_LT(next, lines.size()) << c.file << ".mbt:" << c.line << " " << c.name
                                  << ": expected, in order, a line starting '" << want
                                  << "'\n--- script\n"
                                  << c.script << "--- output\n"
                                  << out.str();
    next++;
  }
  for (const std::string& bad : c.forbidden) {
    for (const std::string& l : lines) {
      EXPECT_FALSE(l.rfind(bad, 0) == 0) << c.file << ".mbt:" << c.line << " " << c.name
                                         << ": unexpected line '" << l << "'\n--- output\n"
                                         << out.str();
    }
  }
  EXPECT_FALSE(c.expected.empty() && c.forbidden.empty())
      << c.name << " checks nothing: a test that cannot fail is a defect";
}

std::string case_name(const ::testing::TestParamInfo<ScriptCase>& info) {
  return info.param.file + "_" + info.param.name;
}

INSTANTIATE_TEST_SUITE_P(Linux, MemblockScript, ::testing::ValuesIn(load_cases()), case_name);

TEST(MemblockScriptCases, EachLinuxTestFileIsPorted) {
  std::vector<std::string> files;
  for (const ScriptCase& c : load_cases()) {
    if (files.empty() || files.back() != c.file) {
      files.push_back(c.file);
    }
  }
  for (const char* want : {"alloc_api", "alloc_helpers_api", "alloc_nid_api", "basic_api"}) {
    EXPECT_NE(std::find(files.begin(), files.end(), want), files.end()) << want;
  }
}

}  // namespace
}  // namespace ptsim::kernel
