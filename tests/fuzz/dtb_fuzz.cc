// Device-tree blob -> Machine (machine::read_dtb).
#include "fuzz_support.h"
#include "ptsim/machine/dtb.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return ptsim::fuzz::refusals_allowed(
      [&] { (void)ptsim::machine::read_dtb({data, size}, "fuzz.dtb"); });
}
