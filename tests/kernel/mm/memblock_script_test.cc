// Runs the memblock script cases under tests/kernel/mm/memblock_scripts/:
// the scenarios of Linux's own userspace memblock suite
// (tools/testing/memblock/tests/*.c, v6.1) and further cases read off
// mm/memblock.c.  A case is
//   == NAME
//   script lines...
//   >> an expected output line (matches an output line it starts, up to a space)
//   !> a text no output line may start with
// The expected lines must appear in order.  A header may carry variants,
//   == NAME @ALLOC=alloc_try_nid,alloc_try_nid_raw @BU=0,1
// and then runs once per combination, each @WORD replaced by its value (as
// Linux's suite runs a check top-down and bottom-up, zeroing and raw).
#include "ptsim/kernel/mm/memblock_script.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

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

// Names the case in gtest messages instead of dumping its bytes.
void PrintTo(const ScriptCase& c, std::ostream* os) {
  *os << c.file << ".mbt:" << c.line << " " << c.name;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t pos = text.find(from); pos != std::string::npos;
       pos = text.find(from, pos + to.size())) {
    text.replace(pos, from.size(), to);
  }
  return text;
}

std::vector<std::string> split(const std::string& text, char sep) {
  std::vector<std::string> parts;
  std::istringstream in(text);
  for (std::string part; std::getline(in, part, sep);) {
    if (!part.empty()) {
      parts.push_back(part);
    }
  }
  return parts;
}

// Expands the @WORD=v1,v2 variants of a case header into one case each.
void expand_variants(const ScriptCase& templ, const std::string& header,
                     std::vector<ScriptCase>& out) {
  std::vector<ScriptCase> cases = {templ};
  std::vector<std::string> words = split(header, ' ');
  cases[0].name = words[0];
  for (size_t w = 1; w < words.size(); w++) {
    const size_t eq = words[w].find('=');
    const std::string key = words[w].substr(0, eq);
    std::vector<ScriptCase> next;
    for (const ScriptCase& c : cases) {
      for (const std::string& value : split(words[w].substr(eq + 1), ',')) {
        ScriptCase v = c;
        v.name += "_" + value;
        v.script = replace_all(v.script, key, value);
        for (std::string& e : v.expected) {
          e = replace_all(e, key, value);
        }
        next.push_back(v);
      }
    }
    cases = next;
  }
  out.insert(out.end(), cases.begin(), cases.end());
}

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
    std::optional<ScriptCase> current;
    std::string header;
    const auto finish = [&] {
      if (current) {
        expand_variants(*current, header, cases);
      }
    };
    while (std::getline(in, line)) {
      line_no++;
      if (line.rfind("== ", 0) == 0) {
        finish();
        current = ScriptCase{path.stem().string(), "", line_no, "", {}, {}};
        header = line.substr(3);
        continue;
      }
      if (!current) {
        continue;  // the file's header comment
      }
      if (line.rfind(">> ", 0) == 0) {
        current->expected.push_back(line.substr(3));
      } else if (line.rfind("!> ", 0) == 0) {
        current->forbidden.push_back(line.substr(3));
      } else {
        current->script += line + "\n";
      }
    }
    finish();
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
