#include "ptsim/machine/presets.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "machine/dtb_fixture.h"
#include "ptsim/machine/inputs.h"
#include "ptsim/machine/kernel_image.h"

namespace ptsim::machine {
namespace {

using testing::bad_input_message;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(MachinePreset, QemuVirtArm64) {
  const Machine m = machine_preset("virt").machine();
  EXPECT_THAT(m.memory, ElementsAre(MemoryBank{0x40000000, 0x40000000, "/memory@40000000", false}));
  EXPECT_EQ(m.model, "linux,dummy-virt");
  EXPECT_EQ(m.address_cells, 2u);
  ASSERT_TRUE(m.uart && m.uart->reg);
  EXPECT_EQ(m.uart->reg->base, 0x9000000u);
  EXPECT_EQ(m.chosen.stdout_path, "/pl011@9000000");
  EXPECT_EQ(machine_preset("virt").arch, Arch::arm64);
  // Debian's kernel under QEMU reserves [__pa(_stext), __pa(_end)) from
  // 0x40210000; _stext is 0x10000 into the image.
  const Arm64ImageLayout img =
      arm64_image_layout(kernel_image_preset("debian-6.1-arm64").symbols());
  EXPECT_EQ(machine_preset("virt").kernel_load_address + (img.stext - img.text), 0x40210000u);
}

TEST(MachinePreset, VexpressA9IsOneGibAt0x60000000) {
  const MachinePreset& p = machine_preset("vexpress-a9");
  const Machine m = p.machine();
  EXPECT_THAT(m.memory, ElementsAre(MemoryBank{0x60000000, 0x40000000, "/memory@60000000", false}));
  EXPECT_EQ(p.arch, Arch::arm);
  EXPECT_EQ(p.arm_page_offset, 0xc0000000u);
  EXPECT_EQ(p.kernel_image, "seed-vexpress");
}

TEST(MachinePreset, QemuVirtArmRamAt0x40000000) {
  const MachinePreset& p = machine_preset("virt-arm");
  EXPECT_EQ(p.machine().memory.at(0).base, 0x40000000u);
  EXPECT_EQ(p.arch, Arch::arm);
}

TEST(MachinePreset, RaspberryPi2) {
  const MachinePreset& p = machine_preset("rpi2");
  const Machine m = p.machine();
  EXPECT_EQ(m.memory.at(0).base, 0u);
  EXPECT_EQ(m.memory.at(0).size, 960u << 20);
  EXPECT_EQ(p.arm_page_offset, 0x80000000u);  // 2G/2G: MODULES_VADDR 0x7f000000 (seed 002)
  EXPECT_EQ(p.arm_page_offset - (16u << 20), 0x7f000000u);
  EXPECT_THAT(m.memreserve, ElementsAre(Range{0, 0x1000}));
  ASSERT_EQ(m.reserved.size(), 1u);
  EXPECT_TRUE(m.reserved[0].is_dynamic());
  EXPECT_EQ(m.uart->reg->base, 0x3f201000u);
}

TEST(MachinePreset, EveryPresetsKernelImageExistsForItsArch) {
  for (const MachinePreset& p : machine_presets()) {
    EXPECT_EQ(kernel_image_preset(p.kernel_image).arch, p.arch) << p.name;
  }
}

TEST(MachinePreset, WithRamResizesTheFirstBank) {
  EXPECT_EQ(with_ram(machine_preset("virt"), 4ULL << 30).memory.at(0).size, 4ULL << 30);
  EXPECT_THAT(bad_input_message([] { with_ram(machine_preset("vexpress-a9"), 2ULL << 30); }),
              HasSubstr("up to 1024 MiB"));
  EXPECT_THAT(bad_input_message([] { with_ram(machine_preset("virt"), 0); }),
              HasSubstr("non-zero multiple"));
  EXPECT_THAT(bad_input_message([] { with_ram(machine_preset("virt"), 4097); }),
              HasSubstr("multiple of 1 MiB"));
  EXPECT_THAT(bad_input_message([] { machine_preset("pc"); }), HasSubstr("known: virt, virt-arm"));
}

TEST(LoadMachine, DefaultIsVirtAndChoicesExcludeEachOther) {
  EXPECT_EQ(load_machine({}).source, "preset virt");
  try {
    load_machine({"virt", "x.dtb", std::nullopt});
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
  }
  try {
    load_machine({"", "x.dtb", 1 << 30});
    ADD_FAILURE() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
  }
}

TEST(LoadImageLayout, PicksTheArchitectureFromTheAddresses) {
  EXPECT_FALSE(load_image_layout("", "").has_value());
  EXPECT_TRUE(std::holds_alternative<Arm64ImageLayout>(*load_image_layout("", "debian-6.1-arm64")));
  EXPECT_TRUE(std::holds_alternative<ArmImageLayout>(*load_image_layout("", "debian-6.1-armmp")));
}

}  // namespace
}  // namespace ptsim::machine
