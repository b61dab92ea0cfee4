#include "ptsim/machine/cmdline.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "machine/dtb_fixture.h"

namespace ptsim::machine {
namespace {

using testing::bad_input_message;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr uint64_t kM = 1 << 20;

TEST(Memparse, NotationAndSuffixes) {
  struct Case {
    const char* text;
    uint64_t value;
    size_t used;
  };
  for (const Case& c :
       {Case{"512M", 512 * kM, 4}, Case{"0x40000000", 0x40000000, 10}, Case{"1G", 1ULL << 30, 2},
        Case{"64k", 64 << 10, 3}, Case{"2T", 2ULL << 40, 2}, Case{"1P", 1ULL << 50, 2},
        Case{"1E", 1ULL << 60, 2}, Case{"0100M", 64 * kM, 5},  // leading 0: octal
        Case{"0", 0, 1}, Case{"0x", 0, 1},                     // "0x" with no hex digit is 0
        Case{"09", 0, 1},                                      // octal: the 9 is not a digit
        Case{"12@0x60000000", 12, 2}, Case{"0x10Mfoo", 16 * kM, 5}}) {
    size_t used = 0;
    EXPECT_EQ(memparse(c.text, &used, "t"), c.value) << c.text;
    EXPECT_EQ(used, c.used) << c.text;
  }
}

TEST(Memparse, RefusesNonNumbersAndOverflow) {
  size_t used = 0;
  EXPECT_THAT(bad_input_message([&] { memparse("M", &used, "mem"); }),
              HasSubstr("mem 'M' is not a number"));
  EXPECT_THAT(bad_input_message([&] { memparse("", &used, "mem"); }), HasSubstr("not a number"));
  EXPECT_THAT(bad_input_message([&] { memparse("18446744073709551616", &used, "mem"); }),
              HasSubstr("overflows 64 bits"));
  EXPECT_THAT(bad_input_message([&] { memparse("16E", &used, "mem"); }),
              HasSubstr("overflows 64 bits"));
}

TEST(SplitCommandLine, QuotesAndDoubleDashAsNextArg) {
  std::string rest;
  const auto params =
      split_command_line("  a b=1 c=\"x y\" \"d=e f\" =g --  init=/bin/sh 1 ", &rest);
  EXPECT_THAT(params, ElementsAre(Param{"a", std::nullopt}, Param{"b", "1"}, Param{"c", "x y"},
                                  Param{"d", "e f"}, Param{"=g", std::nullopt}));
  EXPECT_EQ(rest, "init=/bin/sh 1 ");
}

TEST(CommandLine, TheParametersTheBootModelsNeed) {
  const CommandLine c = parse_command_line(
      "console=ttyAMA0 earlycon mem=1G rodata=on nokaslr memblock=debug crashkernel=256M kpti=off "
      "vmalloc=384M");
  EXPECT_THAT(c.mem, ElementsAre(MemParam{1ULL << 30, std::nullopt}));
  EXPECT_EQ(c.rodata, Rodata::on);
  EXPECT_TRUE(c.nokaslr);
  EXPECT_TRUE(c.memblock_debug);
  ASSERT_TRUE(c.crashkernel.has_value());
  EXPECT_EQ(c.crashkernel->size, 256 * kM);
  EXPECT_EQ(c.kpti, false);
  EXPECT_EQ(c.vmalloc, 384 * kM);
  ASSERT_TRUE(c.earlycon.has_value());
  EXPECT_TRUE(c.earlycon->from_stdout_path);
  EXPECT_THAT(c.other, ElementsAre(Param{"console", "ttyAMA0"}));
}

TEST(CommandLine, DefaultsWhenAbsent) {
  const CommandLine c = parse_command_line("");
  EXPECT_FALSE(c.rodata.has_value());
  EXPECT_FALSE(c.nokaslr);
  EXPECT_FALSE(c.memblock_debug);
  EXPECT_TRUE(c.params.empty());
}

TEST(CommandLine, ArmMemSizeAtStartRepeats) {
  const CommandLine c = parse_command_line("mem=256M@0x60000000 mem=0x10000000@0x80000000 mem=64M");
  EXPECT_THAT(c.mem, ElementsAre(MemParam{256 * kM, 0x60000000}, MemParam{0x10000000, 0x80000000},
                                 MemParam{64 * kM, std::nullopt}));
}

TEST(CommandLine, RodataTakesTheLastOfFullOnOff) {
  EXPECT_EQ(parse_command_line("rodata=off rodata=full").rodata, Rodata::full);
  EXPECT_EQ(parse_command_line("rodata=on").rodata, Rodata::on);
  EXPECT_EQ(parse_command_line("rodata=off").rodata, Rodata::off);
}

TEST(CommandLine, NokaslrAndMemblockDebugMatchSubstringsAsLinuxDoes) {
  EXPECT_TRUE(parse_command_line("foo=nokaslrx").nokaslr);  // kaslr_early.c: strstr
  EXPECT_TRUE(parse_command_line("memblock=xdebugx").memblock_debug);
  EXPECT_FALSE(parse_command_line("memblock=on").memblock_debug);
}

TEST(CommandLine, InitrdStartSizeAndFileNames) {
  const CommandLine c = parse_command_line("initrd=0x62000000,8M");
  EXPECT_EQ(c.initrd, (Range{0x62000000, 8 * kM}));
  const CommandLine efi = parse_command_line("initrd=\\initrd.img");
  EXPECT_FALSE(efi.initrd.has_value());
  ASSERT_EQ(efi.notes.size(), 1u);
  EXPECT_THAT(efi.notes[0], HasSubstr("not start,size"));
}

TEST(CommandLine, CrashkernelForms) {
  const CommandLine c =
      parse_command_line("crashkernel=128M@0x80000000 crashkernel=1G,high crashkernel=256M,low");
  EXPECT_EQ(c.crashkernel, (CrashKernel{CrashKernel::Kind::simple, 128 * kM, {}, 0x80000000}));
  EXPECT_EQ(c.crashkernel_high->size, 1ULL << 30);
  EXPECT_EQ(c.crashkernel_high->kind, CrashKernel::Kind::high);
  EXPECT_EQ(c.crashkernel_low->size, 256 * kM);

  const CrashKernel r = *parse_command_line("crashkernel=512M-2G:64M,2G-:128M@16M").crashkernel;
  EXPECT_EQ(r.kind, CrashKernel::Kind::ranges);
  EXPECT_THAT(r.ranges, ElementsAre(CrashKernelRange{512 * kM, 2ULL << 30, 64 * kM},
                                    CrashKernelRange{2ULL << 30, std::nullopt, 128 * kM}));
  EXPECT_EQ(r.offset, 16 * kM);
  EXPECT_EQ(r.size_for(256 * kM), 0u);         // below every range
  EXPECT_EQ(r.size_for(1ULL << 30), 64 * kM);  // 512M <= 1G < 2G
  EXPECT_EQ(r.size_for(2ULL << 30), 128 * kM);
  EXPECT_EQ(r.size_for(64 * kM), 0u);  // 64M is not below the RAM: "crashkernel: invalid size"
}

TEST(CommandLine, EarlyconWithAddress) {
  const Earlycon e = *parse_command_line("earlycon=pl011,mmio32,0x9000000,115200n8").earlycon;
  EXPECT_FALSE(e.from_stdout_path);
  EXPECT_EQ(e.name, "pl011");
  EXPECT_EQ(e.iotype, "mmio32");
  EXPECT_EQ(e.address, 0x9000000u);
  EXPECT_EQ(e.options, "115200n8");
  EXPECT_EQ(parse_command_line("earlycon=pl011,0x9000000").earlycon->address, 0x9000000u);
  EXPECT_EQ(parse_command_line("earlycon=pl011").earlycon->address, std::nullopt);
}

TEST(CommandLine, KptiIsKstrtobool) {
  for (const char* on : {"kpti=1", "kpti=y", "kpti=on", "kpti=true"}) {
    EXPECT_EQ(parse_command_line(on).kpti, true) << on;
  }
  for (const char* off : {"kpti=0", "kpti=N", "kpti=off", "kpti=false"}) {
    EXPECT_EQ(parse_command_line(off).kpti, false) << off;
  }
}

TEST(CommandLine, MalformedValuesNameTheParameterAndTheRule) {
  struct Case {
    const char* text;
    const char* want;
  };
  for (const Case& c :
       {Case{"mem=12Q", "mem=12Q is not valid: expected size[@start]"},
        Case{"mem=foo", "mem 'foo' is not a number"},
        Case{"mem=09", "mem=09 is not valid: expected size[@start]"},
        Case{"mem=1G@", "mem '' is not a number"},
        Case{"vmalloc=384MB", "vmalloc=384MB is not valid: 'B' follows the size"},
        Case{"rodata=yes", "rodata=yes is not valid: Linux 6.1 takes full, on or off"},
        Case{"rodata=1", "Invalid option string for rodata: '1'"},
        Case{"kpti=maybe", "kpti=maybe is not valid: expected a boolean"},
        Case{"kpti", "kpti= is not valid"},
        Case{"initrd=0x62000000", "initrd=0x62000000 is not valid: expected start,size"},
        Case{"crashkernel=256M-128M:64M", "end must be above its start"},
        Case{"crashkernel=256M:64M", "'-' expected"},
        Case{"crashkernel=256M,middle", "expected size[@offset]"},
        Case{"crashkernel=1G-2G:64M;", "',' or '@' expected"},
        Case{"earlycon=pl011,mmio32,uart0", "earlycon address 'uart0' is not a number"}}) {
    EXPECT_THAT(bad_input_message([&] { parse_command_line(c.text); }), HasSubstr(c.want))
        << c.text;
  }
}

TEST(CommandLine, BootargsAreCutToCommandLineSizeLessOne) {
  const std::string long_args(3000, 'x');
  EXPECT_EQ(kernel_command_line(long_args, Arch::arm64).size(), 2047u);
  EXPECT_EQ(kernel_command_line(long_args, Arch::arm).size(), 1023u);
  EXPECT_EQ(kernel_command_line("mem=1G", Arch::arm), "mem=1G");
}

}  // namespace
}  // namespace ptsim::machine
