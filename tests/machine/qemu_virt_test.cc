// The built-in virt machines against the device trees QEMU 7.2 really
// generates (tests/golden/machine/qemu-virt-*.dts, made by
// scripts/capture-qemu-virt-dtb.sh).
#include <gtest/gtest.h>

#include "machine/dtb_fixture.h"
#include "ptsim/machine/dtb.h"
#include "ptsim/machine/presets.h"

namespace ptsim::machine {
namespace {

// QEMU's blob, less what the presets leave out on purpose: the random
// kaslr-seed (rng-seed is not read at all).
Machine qemu(const std::string& name, const Machine& preset) {
  Machine m = read_dtb(testing::compile_dts(name), name);
  EXPECT_TRUE(m.chosen.kaslr_seed.has_value()) << "QEMU 7.2 writes a kaslr-seed";
  m.chosen.kaslr_seed.reset();
  m.source = preset.source;
  return m;
}

TEST(QemuVirt, Arm64OneGibPresetIsWhatQemuGenerates) {
  const Machine preset = machine_preset("virt").machine();
  EXPECT_EQ(qemu("qemu-virt-arm64-1g", preset), preset);
}

TEST(QemuVirt, Arm64FiveGibCrossing4GibIsOneBank) {
  const Machine preset = with_ram(machine_preset("virt"), 5ULL << 30);
  const Machine m = qemu("qemu-virt-arm64-5g", preset);
  EXPECT_EQ(m, preset);
  EXPECT_EQ(m.memory.at(0).base + m.memory.at(0).size, 0x180000000u);
}

TEST(QemuVirt, ArmOneGibPresetIsWhatQemuGenerates) {
  const Machine preset = machine_preset("virt-arm").machine();
  EXPECT_EQ(qemu("qemu-virt-arm-1g", preset), preset);
}

}  // namespace
}  // namespace ptsim::machine
