#include "ptsim/machine/kernel_image.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "machine/dtb_fixture.h"

namespace ptsim::machine {
namespace {

using testing::bad_input_message;
using ::testing::HasSubstr;

// The arm64 section symbols of a System.map, in its order, plus noise.
constexpr const char* kArm64Map =
    "ffff800008000000 T _text\n"
    "ffff800008010000 T _stext\n"
    "ffff800008010000 t __do_softirq\n"
    "ffff800008d00000 D _etext\n"
    "ffff800008d00000 D __start_rodata\n"
    "ffff800009655000 T idmap_pg_dir\n"
    "ffff800009656000 T tramp_pg_dir\n"
    "ffff800009657000 T reserved_pg_dir\n"
    "ffff800009658000 T swapper_pg_dir\n"
    "ffff800009660000 T __inittext_begin\n"
    "ffff800009740000 D __inittext_end\n"
    "ffff800009740000 D __initdata_begin\n"
    "ffff800009740000 D init_idmap_pg_dir\n"
    "ffff800009745000 D init_idmap_pg_end\n"
    "ffff800009cb0000 D __initdata_end\n"
    "ffff800009cb0000 D _data\n"
    "ffff80000a00b000 B init_pg_dir\n"
    "ffff80000a010000 B init_pg_end\n"
    "ffff80000a010000 B _end\n";

TEST(SymbolTable, ParsesSystemMapLines) {
  const SymbolTable t = SymbolTable::parse(kArm64Map, "System.map");
  EXPECT_EQ(t.find("_text"), 0xffff800008000000u);
  EXPECT_EQ(t.symbol("__do_softirq")->type, 't');
  EXPECT_FALSE(t.find("nothing").has_value());
}

TEST(SymbolTable, KallsymsModuleLinesAreSkippedAndCrLfAccepted) {
  const SymbolTable t = SymbolTable::parse(
      "c0208000 T _text\r\n\nbf000000 t ext4_init\t[ext4]\r\nc0300000 T _stext\n",
      "/proc/kallsyms");
  EXPECT_EQ(t.size(), 2u);
  EXPECT_FALSE(t.find("ext4_init").has_value());
  EXPECT_EQ(t.find("_stext"), 0xc0300000u);
}

TEST(SymbolTable, FirstOfRepeatedNamesWins) {
  const SymbolTable t = SymbolTable::parse("c0001000 t helper\nc0002000 t helper\n", "m");
  EXPECT_EQ(t.find("helper"), 0xc0001000u);
}

TEST(SymbolTable, MalformedLinesNameFileLineAndText) {
  struct Case {
    const char* text;
    const char* want;
  };
  for (const Case& c :
       {Case{"c0008000 T _text\nc0008000T _stext\n", "map:2: 'c0008000T _stext'"},
        Case{"c0008000 T\n", "map:1: 'c0008000 T'"},
        Case{"zz008000 T _text\n", "map:1: 'zz008000 T _text'"},
        Case{"c0008000 TT _text\n", "map:1:"}, Case{"1c0008000c0008000 T _text\n", "map:1:"},
        Case{"c0008000 T _text extra words\n", "map:1:"},
        Case{"c0008000 T a\x01\n", "map:1: 'c0008000 T a\\x01'"}}) {
    const std::string msg = bad_input_message([&] { SymbolTable::parse(c.text, "map"); });
    EXPECT_THAT(msg, HasSubstr(c.want)) << c.text;
    EXPECT_THAT(msg, HasSubstr("expected '<hex address> <type letter> <name>'")) << c.text;
  }
}

TEST(SymbolTable, EmptyAndAllZeroFilesAreRefused) {
  EXPECT_THAT(bad_input_message([] { SymbolTable::parse("\n\n", "empty"); }),
              HasSubstr("no symbols"));
  EXPECT_THAT(bad_input_message([] {
                SymbolTable::parse("0000000000000000 T _text\n0000000000000000 T _stext\n",
                                   "/proc/kallsyms");
              }),
              HasSubstr("kptr_restrict"));
}

TEST(SymbolTable, MissingFileIsBadInput) {
  EXPECT_THAT(bad_input_message([] { SymbolTable::read_file("/nonexistent/System.map"); }),
              HasSubstr("cannot open kernel symbols file"));
}

TEST(Arm64ImageLayout, TakesEverySectionSymbol) {
  const Arm64ImageLayout l = arm64_image_layout(SymbolTable::parse(kArm64Map, "System.map"));
  EXPECT_EQ(l.text, 0xffff800008000000u);
  EXPECT_EQ(l.stext, 0xffff800008010000u);
  EXPECT_EQ(l.swapper_pg_dir, 0xffff800009658000u);
  EXPECT_EQ(l.init_pg_dir, 0xffff80000a00b000u);
  EXPECT_EQ(l.init_idmap_pg_end, 0xffff800009745000u);
  EXPECT_EQ(l.tramp_pg_dir, 0xffff800009656000u);
  EXPECT_FALSE(l.bm_pte.has_value());
  EXPECT_EQ(l.source, "System.map");
}

TEST(Arm64ImageLayout, NamesEveryMissingSymbolAtOnce) {
  // /proc/kallsyms without KALLSYMS_ALL: text symbols only.
  const std::string msg = bad_input_message([] {
    arm64_image_layout(
        SymbolTable::parse("ffff800008000000 T _text\nffff800008010000 T _stext\n", "kallsyms"));
  });
  EXPECT_THAT(msg, HasSubstr("lacks _etext, __start_rodata, __inittext_begin"));
  EXPECT_THAT(msg, HasSubstr("reserved_pg_dir"));
  EXPECT_THAT(msg, HasSubstr("-dbg package"));
}

TEST(Arm64ImageLayout, RefusesImpossibleOrder) {
  std::string map = kArm64Map;
  map += "ffff800008000000 B _end\n";  // repeated: the first _end stays
  EXPECT_NO_THROW(arm64_image_layout(SymbolTable::parse(map, "m")));
  std::string swapped = kArm64Map;
  swapped.replace(swapped.find("ffff80000a010000 B _end"), 16, "ffff800007000000");
  EXPECT_THAT(bad_input_message([&] { arm64_image_layout(SymbolTable::parse(swapped, "m")); }),
              HasSubstr("_text (0xffff800008000000) is above _end (0xffff800007000000)"));
  std::string outside = kArm64Map;
  outside.replace(outside.find("ffff800009658000 T swapper_pg_dir"), 16, "ffff800108000000");
  EXPECT_THAT(bad_input_message([&] { arm64_image_layout(SymbolTable::parse(outside, "m")); }),
              HasSubstr("swapper_pg_dir (0xffff800108000000) lies outside the image"));
}

TEST(Arm64ImageLayout, RefusesA32BitKernelsFile) {
  const SymbolTable arm = kernel_image_preset("debian-6.1-armmp").symbols();
  EXPECT_THAT(bad_input_message([&] { arm64_image_layout(arm); }),
              HasSubstr("lacks __inittext_begin"));
}

TEST(ArmImageLayout, RefusesA64BitKernelsFile) {
  const SymbolTable a64 = kernel_image_preset("debian-6.1-arm64").symbols();
  EXPECT_THAT(bad_input_message([&] { arm_image_layout(a64); }), HasSubstr("lacks _sdata"));
}

TEST(KernelImagePreset, DebianArm64MatchesItsSystemMap) {
  const Arm64ImageLayout l = arm64_image_layout(kernel_image_preset("debian-6.1-arm64").symbols());
  EXPECT_EQ(l.text, 0xffff800008000000u);
  EXPECT_EQ(l.end - l.text, 0x2010000u);  // a 32 MiB + 64 KiB image
  EXPECT_EQ(l.init_pg_end, l.end);
  EXPECT_EQ(l.bm_pud, 0xffff800009f70000u);
  EXPECT_TRUE(l.tramp_pg_dir.has_value());  // Debian builds UNMAP_KERNEL_AT_EL0
}

TEST(KernelImagePreset, DebianArmmpTextOffsetIs0x208000) {
  const ArmImageLayout l = arm_image_layout(kernel_image_preset("debian-6.1-armmp").symbols());
  constexpr uint64_t kPageOffset = 0xc0000000;
  EXPECT_EQ(l.text - kPageOffset, 0x208000u);
  // swapper_pg_dir = KERNEL_RAM_VADDR - PG_DIR_SIZE (16 KiB, non-LPAE): on
  // vexpress (PHYS_OFFSET 0x60000000) it lands at physical 0x60204000.
  ASSERT_TRUE(l.swapper_pg_dir.has_value());
  EXPECT_EQ(l.text - *l.swapper_pg_dir, 0x4000u);
  EXPECT_EQ(*l.swapper_pg_dir - kPageOffset + 0x60000000, 0x60204000u);
  const ArmImageLayout lpae =
      arm_image_layout(kernel_image_preset("debian-6.1-armmp-lpae").symbols());
  EXPECT_EQ(lpae.text - *lpae.swapper_pg_dir, 0x5000u);  // LPAE: PG_DIR_SIZE 0x5000
}

// Seed 001's worked example: kernel_x_start = round_down(__pa(_stext),
// SECTION_SIZE) and kernel_x_end = round_up(__pa(__init_end), SECTION_SIZE)
// on vexpress (PHYS_OFFSET 0x60000000, PAGE_OFFSET 0xc0000000).
TEST(KernelImagePreset, SeedVexpressGivesTheSeedsKernelXBounds) {
  const KernelImagePreset& p = kernel_image_preset("seed-vexpress");
  const ArmImageLayout l = arm_image_layout(p.symbols());
  constexpr uint64_t kSection = 1 << 20;
  auto pa = [](uint64_t va) { return va - 0xc0000000 + 0x60000000; };
  EXPECT_EQ(pa(l.stext) & ~(kSection - 1), 0x60000000u);
  EXPECT_EQ((pa(l.init_end) + kSection - 1) & ~(kSection - 1), 0x61100000u);
  EXPECT_EQ(pa(*l.swapper_pg_dir), 0x60004000u);  // seed 003
  EXPECT_EQ(l.text - 0xc0000000, 0x8000u);        // TEXT_OFFSET
  EXPECT_FALSE(p.estimated.empty());
}

TEST(KernelImagePreset, EveryPresetBuildsItsLayout) {
  for (const KernelImagePreset& p : kernel_image_presets()) {
    if (p.arch == Arch::arm64) {
      EXPECT_NO_THROW(arm64_image_layout(p.symbols())) << p.name;
    } else {
      EXPECT_NO_THROW(arm_image_layout(p.symbols())) << p.name;
    }
  }
  EXPECT_THAT(bad_input_message([] { kernel_image_preset("nope"); }),
              HasSubstr("known: debian-6.1-arm64"));
}

}  // namespace
}  // namespace ptsim::machine
