// Bad blobs must be refused with a bad_input Error that names libfdt's
// reason and an offset, and never crash (these run under ASan and UBSan).
#include <libfdt.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "machine/dtb_fixture.h"
#include "ptsim/machine/dtb.h"
#include "ptsim/machine/presets.h"

namespace ptsim::machine {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;
using testing::bad_input_message;
using testing::compile_dts;
using testing::put_be32;

// A small blob built property by property, so a test can give any property
// any bytes.
struct RawProp {
  const char* name;
  std::vector<uint8_t> value;
};

std::vector<uint8_t> cells(std::initializer_list<uint32_t> values) {
  std::vector<uint8_t> out;
  for (uint32_t v : values) {
    out.insert(out.end(), {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
                           static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)});
  }
  return out;
}

std::vector<uint8_t> blob_with(const std::vector<RawProp>& root, const std::vector<RawProp>& chosen,
                               const std::vector<RawProp>& memory) {
  std::vector<uint8_t> buf(4096);
  void* fdt = buf.data();
  EXPECT_EQ(fdt_create(fdt, static_cast<int>(buf.size())), 0);
  EXPECT_EQ(fdt_finish_reservemap(fdt), 0);
  EXPECT_EQ(fdt_begin_node(fdt, ""), 0);
  auto props = [&](const std::vector<RawProp>& list) {
    for (const RawProp& p : list) {
      EXPECT_EQ(fdt_property(fdt, p.name, p.value.data(), static_cast<int>(p.value.size())), 0);
    }
  };
  props(root);
  EXPECT_EQ(fdt_begin_node(fdt, "chosen"), 0);
  props(chosen);
  EXPECT_EQ(fdt_end_node(fdt), 0);
  EXPECT_EQ(fdt_begin_node(fdt, "memory@40000000"), 0);
  props(memory);
  EXPECT_EQ(fdt_end_node(fdt), 0);
  EXPECT_EQ(fdt_end_node(fdt), 0);
  EXPECT_EQ(fdt_finish(fdt), 0);
  buf.resize(fdt_totalsize(fdt));
  return buf;
}

const std::vector<uint8_t> kMemoryType = {'m', 'e', 'm', 'o', 'r', 'y', 0};

std::string read_error(const std::vector<uint8_t>& blob) {
  return bad_input_message([&] { read_dtb(blob, "bad.dtb"); });
}

TEST(DtbMalformed, EveryTruncationOfARealBlobIsRefused) {
  const std::vector<uint8_t> blob = compile_dts("two_cell_board");
  ASSERT_GT(blob.size(), 200u);
  for (size_t len = 0; len < blob.size(); ++len) {
    const std::vector<uint8_t> cut(blob.begin(), blob.begin() + static_cast<std::ptrdiff_t>(len));
    const std::string msg = read_error(cut);
    EXPECT_THAT(msg, HasSubstr("FDT_ERR_TRUNCATED")) << "length " << len;
    EXPECT_THAT(msg, HasSubstr(fmt::format("at offset {:#x}", len))) << "length " << len;
  }
}

// Truncated blobs whose header is patched to claim the shorter size: now
// libfdt's own checks must find where the structure breaks off.
TEST(DtbMalformed, EveryTruncationWithAMatchingTotalsizeIsRefused) {
  const std::vector<uint8_t> blob = compile_dts("two_cell_board");
  const uint32_t strings_end = fdt_off_dt_strings(blob.data()) + fdt_size_dt_strings(blob.data());
  for (size_t len = sizeof(fdt_header); len < strings_end; ++len) {
    std::vector<uint8_t> cut(blob.begin(), blob.begin() + static_cast<std::ptrdiff_t>(len));
    put_be32(cut, 4, static_cast<uint32_t>(len));
    EXPECT_THAT(read_error(cut), MatchesRegex(".*FDT_ERR_[A-Z]+ at offset 0x[0-9a-f]+.*")) << "length " << len;
  }
}

// Every single-byte corruption of the structure and strings blocks either
// still reads or is refused as bad input; nothing else may happen.
TEST(DtbMalformed, EveryByteCorruptionIsReadOrRefused) {
  const std::vector<uint8_t> blob = compile_dts("two_cell_board");
  size_t refused = 0;
  for (size_t at = 0; at < blob.size(); ++at) {
    for (uint8_t value : {uint8_t{0x00}, uint8_t{0xff}, uint8_t{0x03}}) {
      std::vector<uint8_t> bad = blob;
      if (bad[at] == value) {
        continue;
      }
      bad[at] = value;
      try {
        read_dtb(bad, "corrupt.dtb");
      } catch (const Error& e) {
        ASSERT_EQ(e.kind(), ErrorKind::bad_input) << "byte " << at << ": " << e.what();
        ++refused;
      }
    }
  }
  EXPECT_GT(refused, blob.size() / 4);  // most corruptions break the blob
}

TEST(DtbMalformed, BadMagicNamesOffsetZero) {
  std::vector<uint8_t> blob = compile_dts("one_cell_board");
  put_be32(blob, 0, 0xfeedd00d);
  const std::string msg = read_error(blob);
  EXPECT_THAT(msg, HasSubstr("FDT_ERR_BADMAGIC at offset 0x0"));
  EXPECT_THAT(msg, HasSubstr("magic is 0xfeedd00d, must be 0xd00dfeed"));
  EXPECT_THAT(msg, HasSubstr("bad.dtb"));
}

TEST(DtbMalformed, TotalsizeBeyondTheFileIsTruncation) {
  std::vector<uint8_t> blob = compile_dts("one_cell_board");
  put_be32(blob, 4, static_cast<uint32_t>(blob.size() + 1));
  EXPECT_THAT(read_error(blob), HasSubstr(fmt::format("header totalsize at offset 0x4 says {} bytes", blob.size() + 1)));
}

TEST(DtbMalformed, TotalsizeSmallerThanTheBlocksNamesTheField) {
  std::vector<uint8_t> blob = compile_dts("one_cell_board");
  put_be32(blob, 4, 0x30);
  const std::string msg = read_error(blob);
  EXPECT_THAT(msg, HasSubstr("header field"));
  EXPECT_THAT(msg, MatchesRegex(".*at offset 0x(8|c|10|20|24) .*"));
}

TEST(DtbMalformed, UnsupportedVersionNamesTheVersionField) {
  std::vector<uint8_t> blob = compile_dts("one_cell_board");
  put_be32(blob, 0x14, 1);
  EXPECT_THAT(read_error(blob), HasSubstr("at offset 0x14"));
}

TEST(DtbMalformed, ShortHeaderIsTruncation) {
  EXPECT_THAT(read_error({0xd0, 0x0d, 0xfe, 0xed}), HasSubstr("shorter than the 40-byte FDT header"));
  EXPECT_THAT(read_error({}), HasSubstr("FDT_ERR_TRUNCATED"));
}

TEST(DtbMalformed, RootCellsPropertyOfTheWrongLengthIsRefused) {
  const std::string msg = read_error(blob_with({{"#address-cells", {0, 2}}}, {}, {}));
  EXPECT_THAT(msg, HasSubstr("#address-cells is 2 bytes long; it must be one 32-bit cell"));
}

TEST(DtbMalformed, RootCellsOutsideOneToTwoAreRefused) {
  EXPECT_THAT(read_error(blob_with({{"#address-cells", cells({3})}}, {}, {})),
              HasSubstr("root #address-cells is 3"));
  EXPECT_THAT(read_error(blob_with({{"#size-cells", cells({0})}}, {}, {})), HasSubstr("root #size-cells is 0"));
}

TEST(DtbMalformed, InitrdCellOfOddLengthIsRefused) {
  const std::string msg = read_error(
      blob_with({}, {{"linux,initrd-start", {0, 0, 1}}, {"linux,initrd-end", cells({0x2000})}}, {}));
  EXPECT_THAT(msg, HasSubstr("linux,initrd-start is 3 bytes long"));
}

TEST(DtbMalformed, InitrdEndBelowStartIsIgnoredAsLinuxDoes) {
  const Machine m = read_dtb(
      blob_with({}, {{"linux,initrd-start", cells({0x3000})}, {"linux,initrd-end", cells({0x2000})}}, {}), "x");
  EXPECT_FALSE(m.chosen.initrd.has_value());
  ASSERT_EQ(m.notes.size(), 1u);
  EXPECT_THAT(m.notes[0], HasSubstr("Linux ignores the initrd"));
}

TEST(DtbMalformed, MemoryRegWithTrailingBytesKeepsWholePairsAndSaysSo) {
  // Default cells 1/1: 0x40000000 0x1000000 and three stray bytes.
  std::vector<uint8_t> reg = cells({0x40000000, 0x1000000});
  reg.insert(reg.end(), {1, 2, 3});
  const Machine m = read_dtb(blob_with({}, {}, {{"device_type", kMemoryType}, {"reg", reg}}), "x");
  ASSERT_EQ(m.memory.size(), 1u);
  EXPECT_EQ(m.memory[0].size, 0x1000000u);
  ASSERT_EQ(m.notes.size(), 1u);
  EXPECT_THAT(m.notes[0], HasSubstr("Linux ignores the trailing bytes"));
}

TEST(DtbMalformed, KaslrSeedOfTheWrongLengthIsIgnoredAsLinuxDoes) {
  const Machine m = read_dtb(blob_with({}, {{"kaslr-seed", cells({1})}}, {}), "x");
  EXPECT_FALSE(m.chosen.kaslr_seed.has_value());
  ASSERT_EQ(m.notes.size(), 1u);
  EXPECT_THAT(m.notes[0], HasSubstr("kaslr-seed is 4 bytes, not 8"));
}

TEST(DtbMalformed, UnterminatedStringsStayInsideTheProperty) {
  const Machine m = read_dtb(blob_with({{"model", {'a', 'b', 'c'}}}, {{"bootargs", {'x', 'y'}}}, {}), "x");
  EXPECT_EQ(m.model, "abc");
  EXPECT_EQ(m.chosen.bootargs, "xy");
}

TEST(DtbMalformed, MissingFileIsBadInput) {
  EXPECT_THAT(bad_input_message([] { read_dtb_file("/nonexistent/board.dtb"); }),
              HasSubstr("cannot open device tree blob '/nonexistent/board.dtb'"));
}

}  // namespace
}  // namespace ptsim::machine
