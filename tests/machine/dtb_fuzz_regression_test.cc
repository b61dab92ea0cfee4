// Inputs the DTB fuzzer (tests/fuzz/dtb_fuzz.cc) found, each refused now
// with a bad_input Error instead of crashing.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <vector>

#include "ptsim/error.h"
#include "ptsim/machine/dtb.h"

namespace ptsim::machine {
namespace {

std::vector<uint8_t> golden_bytes(const char* name) {
  std::ifstream in(std::string(PTSIM_GOLDEN_DIR) + "/machine/fuzz/" + name, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A blob whose header says version 9: fdt_check_header accepts it, and
// libfdt 1.6's fdt_check_full then read through a null node name (SEGV).
TEST(DtbFuzzRegression, VersionBefore16IsRefused) {
  const std::vector<uint8_t> blob = golden_bytes("dtb-version9-null-name.dtb");
  ASSERT_GT(blob.size(), 0x18u);
  ASSERT_EQ(blob[0x17], 9);
  try {
    (void)read_dtb(blob, "v9.dtb");
    FAIL() << "a version 9 blob was read";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_input);
    EXPECT_THAT(e.what(), ::testing::HasSubstr("v9.dtb: invalid device tree blob: FDT_ERR_BADVERSION at offset 0x14"));
    EXPECT_THAT(e.what(), ::testing::HasSubstr("header version 9 is older than 16"));
  }
}

}  // namespace
}  // namespace ptsim::machine
