// memblock script -> run against the modelled memblock.
#include <sstream>
#include <string>

#include "fuzz_support.h"
#include "ptsim/kernel/mm/memblock_script.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return ptsim::fuzz::refusals_allowed([&] {
    std::istringstream in{std::string(ptsim::fuzz::as_text(data, size))};
    std::ostringstream out;
    (void)ptsim::kernel::run_memblock_script(in, out, {});
  });
}
