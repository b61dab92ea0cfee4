// The seed notes' arm machine and kernel, shared by the arm boot tests:
// vexpress with 1 GiB at 0x60000000, 3G/1G, _stext 0xc0008280, __init_end
// 0xc10d8000 (TEXT_OFFSET 0x8000); symbols the seeds do not give are placed
// where a kernel of that size has them.
#pragma once

#include "ptsim/kernel/arch/arm/boot.h"

namespace ptsim::kernel::arm {

inline ArmKernelImage seed_image(uint32_t page_offset = 0xc0000000) {
  const uint32_t d = page_offset - 0xc0000000;
  ArmKernelImage img;
  img.text = 0xc0008000 + d;
  img.stext = 0xc0008280 + d;
  img.etext = 0xc0a00000 + d;
  img.init_begin = 0xc1000000 + d;
  img.init_end = 0xc10d8000 + d;
  img.sdata = 0xc10d8000 + d;
  img.edata = 0xc1180000 + d;
  img.bss_start = 0xc1180000 + d;
  img.bss_stop = 0xc1200000 + d;
  img.end = 0xc1200000 + d;
  return img;
}

inline ArmBootInput seed_vexpress(ArmVersion v) {
  ArmBootInput in;
  in.config.version = v;
  in.image = seed_image();
  in.memory = {{0x60000000, 0x40000000}};
  return in;
}

}  // namespace ptsim::kernel::arm
