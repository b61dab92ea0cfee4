// System.map / /proc/kallsyms text -> SymbolTable.
#include "fuzz_support.h"
#include "ptsim/machine/kernel_image.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return ptsim::fuzz::refusals_allowed([&] {
    (void)ptsim::machine::SymbolTable::parse(ptsim::fuzz::as_text(data, size), "fuzz.map");
  });
}
