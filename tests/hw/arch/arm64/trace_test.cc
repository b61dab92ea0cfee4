// Access traces: parsing every line form, errors naming the line, and a
// replay long enough to cross the reader's block boundaries, with progress
// after each block.
#include "ptsim/hw/arch/arm64/trace.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <vector>

#include "mmu_fixture.h"
#include "ptsim/error.h"

namespace ptsim::hw::arm64 {
namespace {

TEST(Trace, ParsesEveryLineForm) {
  EXPECT_FALSE(parse_trace_line("", 1).has_value());
  EXPECT_FALSE(parse_trace_line("   # comment", 1).has_value());
  const auto a = parse_trace_line("0xffff000000001000 el0w  # trailing comment", 1);
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->kind, TraceEvent::Kind::access);
  EXPECT_EQ(a->va, 0xffff000000001000u);
  EXPECT_EQ(a->access, (Access{true, AccessType::write}));
  const auto s = parse_trace_line("asid 0x12", 2);
  ASSERT_TRUE(s.has_value());
  EXPECT_EQ(*s->asid, 0x12);
  const auto t = parse_trace_line("tlbi vae1 4096 7", 3);
  ASSERT_TRUE(t.has_value());
  EXPECT_EQ(t->tlbi, TlbiOp::vae1);
  EXPECT_EQ(t->va, 4096u);
  EXPECT_EQ(*t->asid, 7);
  EXPECT_EQ(parse_trace_line("tlbi aside1 3", 4)->asid, 3);
  EXPECT_EQ(parse_trace_line("tlbi vmalle1", 5)->tlbi, TlbiOp::vmalle1);
}

TEST(Trace, ErrorsNameTheLine) {
  for (const char* bad :
       {"0x1000 el2r", "zz el1r", "asid 70000", "tlbi vae1", "tlbi frob", "0x1000 el1r extra"}) {
    try {
      parse_trace_line(bad, 42);
      ADD_FAILURE() << bad;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("trace line 42"), std::string::npos) << e.what();
    }
  }
}

TEST(Trace, ReplayCountsEveryLineAcrossBlocks) {
  testing::Machine m;
  m.map(0xffff000000400000, 0x80000000, testing::normal());
  Mmu mmu(m.mem, m.regime());
  std::ostringstream text;
  const int lines = 150000;  // about 3.5 MB: several of the reader's blocks
  for (int i = 0; i < lines; ++i) {
    text << (i % 3 == 0 ? "0xffff000000400010 el1r\r\n" : "0xffff000000400020 el1w\n");
  }
  text << "tlbi vaae1 0xffff000000400000\n0xffff000000400000 el0r";  // no final newline
  std::istringstream in(text.str());
  std::vector<uint64_t> progress;  // lines read, after each block
  EXPECT_EQ(replay_trace(mmu, in, [&](uint64_t n) { progress.push_back(n); }),
            static_cast<uint64_t>(lines) + 2);
  ASSERT_GE(progress.size(), 3u);
  EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end()));
  EXPECT_LT(progress.front(), static_cast<uint64_t>(lines));
  EXPECT_EQ(progress.back(), static_cast<uint64_t>(lines) + 1);  // the last line has no newline
  EXPECT_EQ(mmu.stats().accesses, static_cast<uint64_t>(lines) + 1);
  EXPECT_EQ(mmu.stats().walks, 2u);
  EXPECT_EQ(mmu.stats().fault_count(FaultKind::permission), 1u);  // EL0 on an EL1 page
}

}  // namespace
}  // namespace ptsim::hw::arm64
