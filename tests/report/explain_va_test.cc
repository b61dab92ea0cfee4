// ptsim explain --va on the default boot: the VA's fields, each level's
// entry address computed from the table and the index, and the result.
#include "ptsim/report/explain_va.h"

#include <gtest/gtest.h>

#include <string>

#include "ptsim/machine/arm64_boot_inputs.h"

namespace ptsim::report {
namespace {

class ExplainVa : public ::testing::Test {
 protected:
  void SetUp() override {
    k_.set_tracing(false);
    k_.boot(kernel::arm64::BootStage::final);
  }
  kernel::arm64::Arm64Kernel k_{{}, {}, machine::prepare_arm64_boot({})};
};

TEST_F(ExplainVa, LinearMapAddressWalksFourLevelsToItsPage) {
  const std::string text = explain_va(k_, 0xffff000010012345, ExplainStyle::text);
  EXPECT_NE(
      text.find("1111111111111111 | 000000000 | 000000000 | 010000000 | 000010010 | 001101000101"),
      std::string::npos)
      << text;
  EXPECT_NE(text.find("Level 2 (pmd): index VA[29:21] = 128 ;"), std::string::npos) << text;
  EXPECT_NE(text.find("=> PA 0x50012345: a 4K page at level 3"), std::string::npos) << text;
  EXPECT_EQ(text.find('\033'), std::string::npos);
}

TEST_F(ExplainVa, ColourMarksEachFieldAndResets) {
  const std::string text = explain_va(k_, 0xffff000010012345, ExplainStyle::colour);
  EXPECT_NE(text.find("\033[31m000000000\033[0m"), std::string::npos) << text;  // the pgd field
  EXPECT_NE(text.find("\033[0m"), std::string::npos);
}

TEST_F(ExplainVa, UserAddressFaultsAtTheStartLevel) {
  const std::string md = explain_va(k_, 0x0000000000400000, ExplainStyle::markdown);
  EXPECT_NE(md.find("Result: translation fault at level 0: VA[63:48] are not all ones"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("| [63:48] | top | `0000000000000000` |"), std::string::npos) << md;
}

}  // namespace
}  // namespace ptsim::report
